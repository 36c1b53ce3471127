import { expect, test } from "@playwright/test";
import http from "node:http";
import { addTcpListenerWithOneBackend, createLoadBalancerInConsole, openAddBackendServersManually, uniqueName } from "../fixtures/load-balancers";
import { countAnswers, startNamedBackend } from "../fixtures/backends";
import { freeListenerPort } from "../fixtures/ports";

/**
 * Passive health in the console: an HTTP listener whose group has a live server and one whose port
 * refuses connections (health check off). Requests keep failing over from the dead one, the engine ejects
 * it after consecutive failed connects, and the Health Check Result column says so with a warning and a
 * tooltip; once the server answers again the warning goes away.
 */
test("a backend server the engine ejected after failed connections is flagged in the backend server list", async ({ page }) => {
  test.setTimeout(120_000);
  const alive = await startNamedBackend("alive");
  const deadPort = await freeListenerPort(); // nothing listens here until the end
  let revived: http.Server | null = null;
  try {
    const name = uniqueName("e2e-eject");
    const row = await createLoadBalancerInConsole(page, { name, networkType: "Private network" });
    await row.getByRole("link", { name }).click();
    const privateIp = (await page.getByLabel("Basic Information", { exact: true }).innerText()).match(/127\.10\.\d+\.\d+/)![0];
    const port = await addTcpListenerWithOneBackend(page, alive.port, "HTTP");
    const addServers = await openAddBackendServersManually(page);
    await addServers.getByLabel("Name", { exact: true }).fill("dead");
    await addServers.getByLabel("IP Address").fill("127.0.0.1");
    await addServers.getByLabel("Backend Port").fill(String(deadPort));
    await addServers.getByRole("button", { name: "Finish" }).click();
    const servers = page.getByRole("region", { name: "Backend Servers" });
    const dead = servers.getByRole("row").filter({ hasText: "dead" });
    await expect(dead).toContainText("Health check disabled");
    await expect(dead).not.toContainText("Ejected");

    // Every request is answered (the engine fails over from the dead server) while the dead one gets ejected.
    const url = `http://${privateIp}:${port}/`;
    await expect.poll(() => countAnswers(url, 1).catch(() => ({})), { timeout: 10_000 }).toEqual({ alive: 1 });
    const warning = dead.getByRole("status");
    await expect
      .poll(
        async () => {
          expect(await countAnswers(url, 6)).toEqual({ alive: 6 });
          return (await warning.count()) > 0 ? await warning.innerText() : "";
        },
        { timeout: 30_000, intervals: [500] },
      )
      .toMatch(/Ejected after \d+ failed connections/);
    await expect(warning).toHaveAttribute("title", /Passive health check: the load balancer could not connect to this server \d+ time\(s\) in a row/);
    await expect(dead).toContainText("Health check disabled");
    await expect(servers.getByRole("row").filter({ hasText: `:${alive.port}` }).or(servers.getByRole("row").filter({ hasText: String(alive.port) })).first().getByRole("status")).toHaveCount(0);

    // The server comes back: after the ejection window a request reaches it and the warning goes away.
    revived = http.createServer((_req, res) => res.end("revived"));
    await new Promise<void>((resolve) => revived!.listen(deadPort, "127.0.0.1", resolve));
    await expect
      .poll(
        async () => {
          await countAnswers(url, 2);
          return warning.count();
        },
        { timeout: 40_000, intervals: [1000] },
      )
      .toBe(0);
  } finally {
    await alive.close();
    if (revived) {
      revived.closeAllConnections();
      await new Promise<void>((resolve) => revived!.close(() => resolve()));
    }
  }
});
