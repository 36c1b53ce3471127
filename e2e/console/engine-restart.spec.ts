import { expect, test } from "@playwright/test";
import { addTcpListenerWithOneBackend, createLoadBalancerInConsole, uniqueName } from "../fixtures/load-balancers";
import { countAnswers, startNamedBackend } from "../fixtures/backends";

/**
 * The console supervises the engine: kill the engine process (SIGKILL) and watch Settings → Engine show
 * a new PID, one more restart, and the same snapshot version; traffic flows again through a TCP listener.
 */
test("the console restarts a killed engine, which serves its snapshot again", async ({ page }) => {
  test.setTimeout(90_000);
  const backend = await startNamedBackend("survivor");
  try {
    // A TCP listener carrying HTTP, so there is real traffic to lose and regain.
    const name = uniqueName("e2e-restart");
    const row = await createLoadBalancerInConsole(page, { name, networkType: "Private network" });
    await row.getByRole("link", { name }).click();
    const privateIp = (await page.getByLabel("Basic Information", { exact: true }).innerText()).match(/127\.10\.\d+\.\d+/)![0];
    const port = await addTcpListenerWithOneBackend(page, backend.port);
    const url = `http://${privateIp}:${port}/`;
    await expect.poll(() => countAnswers(url, 1).catch(() => ({})), { timeout: 10_000 }).toEqual({ survivor: 1 });

    await page.goto("/settings?tab=engine");
    const status = page.getByLabel("Engine status");
    await expect(status).toContainText("Running");
    const text = await status.innerText();
    const pid = Number(text.match(/PID\s+(\d+)/)![1]);
    const version = text.match(/Snapshot version\s+(\d+)/)![1]!;
    const restarts = Number(text.match(/Restarts\s+(\d+)/)![1]);

    const field = async (label: string) => (await status.innerText()).match(new RegExp(`${label}\\s+(\\S+)`))?.[1];
    process.kill(pid, "SIGKILL");
    await expect.poll(() => field("Restarts"), { timeout: 15_000 }).toBe(String(restarts + 1));
    await expect(status).toContainText("Running", { timeout: 15_000 });
    await expect.poll(async () => Number(await field("PID")), { timeout: 15_000 }).not.toBe(pid);
    await expect(status).toContainText("signal SIGKILL");
    await expect.poll(() => field("Snapshot version"), { timeout: 15_000 }).toBe(version);
    await expect.poll(() => countAnswers(url, 1).catch(() => ({})), { timeout: 10_000 }).toEqual({ survivor: 1 });
  } finally {
    await backend.close();
  }
});
