import { expect, test, type Page } from "@playwright/test";
import { createLoadBalancerInConsole, uniqueName } from "../fixtures/load-balancers";
import { freeListenerPort } from "../fixtures/ports";

/**
 * Test Client IP (issue 10 item 4) in the console: a TCP listener with Transfer Client IP Address on and
 * its group at PROXY protocol v2; one click on the listener page runs the listener's settings in a test
 * engine in front of the built-in echo target, and the result shows the client's own address (the
 * tester's 127.0.0.77) in the decoded PROXY v2 header the backend received — not the engine's 127.0.0.1.
 */

/** Sets the client-IP settings through the console's API, as the Modify dialogs save them. */
async function trpcMutation(page: Page, path: string, input: Record<string, unknown>) {
  const response = await page.request.post(`/api/trpc/${path}`, { data: { json: input }, headers: { "sec-fetch-site": "same-origin" } });
  expect(response.status(), `${path}: ${await response.text()}`).toBe(200);
}

/** Turns a switch of a dialog on (the console's switches are checkboxes with role switch). */
async function switchOn(page: Page, dialog: ReturnType<Page["getByRole"]>, name: string) {
  const toggle = dialog.getByRole("switch", { name });
  if (!(await toggle.isChecked())) await toggle.check({ force: true });
  await expect(toggle).toBeChecked();
}

test("Test Client IP: a TCP listener sending PROXY v2 shows the client's address in the decoded header", async ({ page }) => {
  const name = uniqueName("e2e-client-ip-tester");
  const row = await createLoadBalancerInConsole(page, { name, networkType: "Private network" });
  await row.getByRole("link", { name }).click();

  // Add Listener: TCP on a free port, a new group, health check off.
  const port = await freeListenerPort();
  const listenerName = `tcp-${port}`;
  await page.getByRole("tab", { name: "Listeners" }).click();
  await page.getByRole("button", { name: "Add Listener" }).click();
  const add = page.getByRole("dialog", { name: "Add Listener" });
  await add.getByLabel("Name", { exact: true }).fill(listenerName);
  await add.getByLabel("Frontend Protocol").selectOption("TCP");
  await add.getByLabel("Frontend Port").fill(String(port));
  await add.getByRole("button", { name: "Next" }).click();
  await add.getByRole("button", { name: "Next" }).click();
  await add.getByRole("switch", { name: "Enable Health Check" }).uncheck({ force: true });
  await add.getByRole("button", { name: "Finish" }).click();
  await add.getByRole("button", { name: "OK" }).click();

  await page.getByRole("table", { name: "Listeners" }).getByRole("link", { name: listenerName }).click();
  await expect(page).toHaveURL(/\/load-balancers\/[^/]+\/listeners\/[^/?]+/);
  const listenerId = page.url().split("?")[0]!.split("/").pop()!;
  const basic = page.getByLabel("Basic Information", { exact: true });
  const groupHref = await basic.getByRole("link").first().getAttribute("href");
  const poolId = new URL(groupHref!, page.url()).searchParams.get("pool")!;

  // Transfer Client IP Address on, the group at PROXY protocol v2: through Modify Listener / Modify Backend
  // Server Group when their fields are there, else through the same API calls those dialogs make.
  await page.getByRole("button", { name: "Modify", exact: true }).click();
  const modify = page.getByRole("dialog", { name: "Modify Listener" });
  const transferSwitch = modify.getByRole("switch", { name: "Transfer Client IP Address" });
  if (await transferSwitch.count()) {
    await switchOn(page, modify, "Transfer Client IP Address");
    await modify.getByRole("button", { name: "OK" }).click();
    await expect(modify).toHaveCount(0);
  } else {
    await modify.getByRole("button", { name: "Close" }).click();
    await trpcMutation(page, "listener.update", { id: listenerId, transferClientIp: true });
  }
  await trpcMutation(page, "pool.update", { id: poolId, clientIpTransport: "PROXY_V2" });

  // One click: the result says what the backend saw.
  await page.reload();
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
