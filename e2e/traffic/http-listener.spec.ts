import { expect, test } from "@playwright/test";
import { createLoadBalancerInConsole, openAddBackendServersManually, uniqueName } from "../fixtures/load-balancers";
import { countAnswers, startNamedBackend } from "../fixtures/backends";
import { freeListenerPort } from "../fixtures/ports";

/**
 * Issue 3 end to end: Add Listener (HTTP) with a new backend server group of two real loopback backends,
 * traffic through the load balancer's IP in the configured weighted round robin ratio, a weight change in
 * the console changes the ratio, and a stopped backend turns Unhealthy in the console and gets no traffic.
 */
test("HTTP listener balances real traffic as configured in the console", async ({ page }) => {
  test.setTimeout(120_000);
  const alpha = await startNamedBackend("alpha");
  const beta = await startNamedBackend("beta");
  try {
    const lbName = uniqueName("e2e-http");
    const row = await createLoadBalancerInConsole(page, { name: lbName, networkType: "Private network" });
    await row.getByRole("link", { name: lbName }).click();
    const privateIp = (await page.getByLabel("Basic Information", { exact: true }).innerText()).match(/127\.10\.\d+\.\d+/)![0];
    const port = await freeListenerPort();

    // Add Listener: listener → new backend server group → health check (1 s interval, 2 retries).
    await page.getByRole("tab", { name: "Listeners" }).click();
    await page.getByRole("button", { name: "Add Listener" }).click();
    const add = page.getByRole("dialog", { name: "Add Listener" });
    await add.getByLabel("Frontend Protocol").selectOption("HTTP");
    await add.getByLabel("Frontend Port").fill(String(port));
    await add.getByRole("button", { name: "Next" }).click();
    await add.getByRole("radiogroup", { name: "Backend Server Group" }).getByText("Create new").click();
    await add.getByLabel("Load Balancing Algorithm").selectOption({ label: "Weighted round robin" });
    await add.getByRole("button", { name: "Next" }).click();
    await add.getByRole("combobox", { name: "Protocol", exact: true }).selectOption("HTTP");
    await add.getByLabel("Interval (s)").fill("1");
    await add.getByLabel("Timeout (s)").fill("1");
    await add.getByLabel("Maximum Retries").fill("2");
    await add.getByRole("button", { name: "Finish" }).click();
    await add.getByRole("button", { name: "OK" }).click();
    await expect(page.getByRole("table", { name: "Listeners" })).toContainText(`HTTP/${port}`);

    // Backend Server Groups tab: Add two backend servers with weights 3 and 1.
    await page.getByRole("tab", { name: "Backend Server Groups" }).click();
    const servers = page.getByRole("region", { name: "Backend Servers" });
    const addServers = await openAddBackendServersManually(page);
    await addServers.getByRole("button", { name: "+ Add Row" }).click();
    const fill = async (index: number, name: string, backendPort: number, weight: number) => {
      await addServers.getByLabel("Name", { exact: true }).nth(index).fill(name);
      await addServers.getByLabel("IP Address").nth(index).fill("127.0.0.1");
      await addServers.getByLabel("Backend Port").nth(index).fill(String(backendPort));
      await addServers.getByLabel("Weight").nth(index).fill(String(weight));
    };
    await fill(0, "alpha", alpha.port, 3);
    await fill(1, "beta", beta.port, 1);
    await addServers.getByRole("button", { name: "Finish" }).click();
    const serverRow = (name: string) => servers.getByRole("row").filter({ hasText: name });
    await expect(serverRow("alpha")).toContainText("Healthy", { timeout: 15_000 });
    await expect(serverRow("beta")).toContainText("Healthy", { timeout: 15_000 });

    // Weighted round robin 3:1 — exact over whole cycles.
    const url = `http://${privateIp}:${port}/`;
    expect(await countAnswers(url, 40)).toEqual({ alpha: 30, beta: 10 });

    // Change beta's weight to 3 in the Weight column: the ratio becomes 1:1.
    await servers.getByRole("button", { name: "Weight of beta: 1" }).click();
    await servers.getByRole("spinbutton", { name: "Weight" }).fill("3");
    await servers.getByRole("button", { name: "OK" }).click();
    await expect(servers.getByRole("button", { name: "Weight of beta: 3" })).toBeVisible();
    await expect.poll(async () => countAnswers(url, 8), { timeout: 10_000 }).toEqual({ alpha: 4, beta: 4 });
    expect(await countAnswers(url, 40)).toEqual({ alpha: 20, beta: 20 });

    // Stop alpha: the console shows it Unhealthy and all traffic goes to beta.
    await alpha.close();
    await expect(serverRow("alpha")).toContainText("Unhealthy", { timeout: 20_000 });
    await expect(serverRow("beta")).toContainText("Healthy");
    expect(await countAnswers(url, 10)).toEqual({ beta: 10 });

    // A load balancer that still has a listener cannot be deleted; the message says what remains.
    await page.getByRole("button", { name: "Delete", exact: true }).first().click();
    const del = page.getByRole("dialog", { name: "Delete Load Balancer" });
    await del.getByLabel(/to confirm/).fill(lbName);
    await del.getByRole("button", { name: "Yes" }).click();
    await expect(del.getByRole("alert")).toContainText("first delete or remove its 1 listener(s), 1 backend server group(s), 2 backend server(s)");
  } finally {
    await alpha.close().catch(() => undefined);
    await beta.close().catch(() => undefined);
  }
});
