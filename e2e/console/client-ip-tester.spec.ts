import { expect, test } from "@playwright/test";
import { createLoadBalancerInConsole, uniqueName } from "../fixtures/load-balancers";
import { openAddListener, setSwitch } from "../fixtures/listener-dialog";
import { freeListenerPort } from "../fixtures/ports";

/**
 * Test Client IP (issue 10 item 4) in the console: a TCP listener with Transfer Client IP Address on and
 * its group at PROXY protocol v2; one click on the listener page runs the listener's settings in a test
 * engine in front of the built-in echo target, and the result shows the client's own address (the
 * tester's 127.0.0.77) in the decoded PROXY v2 header the backend received — not the engine's 127.0.0.1.
 */

test("Test Client IP: a TCP listener sending PROXY v2 shows the client's address in the decoded header", async ({ page }) => {
  const name = uniqueName("e2e-client-ip-tester");
  const row = await createLoadBalancerInConsole(page, { name, networkType: "Private network" });
  await row.getByRole("link", { name }).click();

  // Add Listener: TCP on a free port, Transfer Client IP Address on, a new group at PROXY protocol v2, health check off.
  const port = await freeListenerPort();
  const listenerName = `tcp-${port}`;
  const add = await openAddListener(page, { name: listenerName, protocol: "TCP", port });
  await setSwitch(add, "Transfer Client IP Address", true);
  await add.getByRole("button", { name: "Next" }).click();
  await add.getByRole("radiogroup", { name: "Client IP Transport" }).getByRole("radio", { name: /^PROXY protocol v2/ }).check();
  await add.getByRole("button", { name: "Next" }).click();
  await add.getByRole("switch", { name: "Enable Health Check" }).uncheck({ force: true });
  await add.getByRole("button", { name: "Finish" }).click();
  await add.getByRole("button", { name: "OK" }).click();

  await page.getByRole("table", { name: "Listeners" }).getByRole("link", { name: listenerName }).click();
  await expect(page).toHaveURL(/\/load-balancers\/[^/]+\/listeners\/[^/?]+/);
  const basic = page.getByLabel("Basic Information", { exact: true });
  await expect(basic.getByText("Transfer Client IP Address", { exact: true }).locator("..")).toContainText("Enabled (PROXY protocol v2)");

  // One click: the result says what the backend saw.
  await page.getByRole("button", { name: "Test Client IP" }).click();
  const dialog = page.getByRole("dialog", { name: "Test Client IP" });
  const interpretation = dialog.getByRole("status", { name: "Interpretation" });
  await expect(interpretation).toHaveText("The backend sees the client's address 127.0.0.77 in a PROXY v2 header (the connection itself comes from 127.0.0.1).", { timeout: 20_000 });
  const seen = dialog.getByRole("region", { name: "What a backend sees" });
  await expect(seen.getByText(/^v2 PROXY STREAM 127\.0\.0\.77:\d+ → 127\.0\.0\.1:\d+/)).toBeVisible();
  await expect(seen).toContainText("client-ip test from 127.0.0.77");
  await expect(dialog.getByRole("region", { name: "The test" })).toContainText(/127\.0\.0\.77:\d+/);

  // Run Again gives a fresh result (a new connection from the client).
  const firstClient = await dialog.getByRole("region", { name: "The test" }).innerText();
  await dialog.getByRole("button", { name: "Run Again" }).click();
  await expect(interpretation).toContainText("127.0.0.77 in a PROXY v2 header", { timeout: 20_000 });
  await expect(dialog.getByRole("region", { name: "The test" })).not.toHaveText(firstClient);
});
