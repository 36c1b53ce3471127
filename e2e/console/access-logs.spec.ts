import { expect, test, type Page } from "@playwright/test";
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseAccessLogLine } from "../../engine/protocol/access-log-line";
import { addTcpListenerWithOneBackend, createLoadBalancerInConsole, uniqueName } from "../fixtures/load-balancers";

/** A real backend on loopback: 404 for paths under /missing, 200 with a short body otherwise. */
async function startBackend() {
  const server = http.createServer((req, res) => {
    res.statusCode = req.url?.startsWith("/missing") ? 404 : 200;
    res.end(res.statusCode === 200 ? "found" : "not found");
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** One GET (new connection) with a User-Agent; resolves with the status, 0 on failure. */
function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 5000, headers: { "user-agent": "e2e-access-logs/1.0" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve(0));
  });
}

const results = (page: Page) => page.getByRole("table", { name: "Access Logs" });

/** Clicks Search until the results hold `rows` records (the engine writes its batch within about a second). */
async function searchUntil(page: Page, rows: number) {
  await expect
    .poll(
      async () => {
        await page.getByRole("button", { name: "Search", exact: true }).click();
        await page.waitForTimeout(800);
        return results(page).getByRole("button", { name: /^Details of the record/ }).count();
      },
      { timeout: 30_000, intervals: [1000] },
    )
    .toBe(rows);
}

/**
 * Issue 11 item 4 in the console (guide chapter 7): create a log group and a log stream on Log
 * Management, Configure Access Log on a load balancer with an HTTP listener, send requests to a real
 * backend through the engine, find them on the Access Logs tab by path and by status (a row expands to
 * every table 7-1 field), and download the selection as a .log file of the matching lines.
 */
test("access logs: log group and stream, Configure Access Log, search by path and status, download", async ({ page }) => {
  test.setTimeout(180_000);
  const backend = await startBackend();
  try {
    const lbName = uniqueName("e2e-logs");
    const groupName = uniqueName("lg");
    const streamName = uniqueName("ls");

    // Log Management: Create Log Group, then a log stream in it.
    await page.goto("/log-management");
    // Lists loaded before changing them (a refresh asked for while the first load is in flight can be lost).
    await expect(page.getByRole("table", { name: "Log Groups" })).not.toContainText("Loading…");
    await page.getByRole("button", { name: "Create Log Group" }).click();
    const createGroup = page.getByRole("dialog", { name: "Create Log Group" });
    await createGroup.getByLabel("Log Group Name").fill(groupName);
    await expect(createGroup.getByLabel("Retention (days)")).toHaveValue("7");
    await createGroup.getByLabel("Retention (days)").fill("400");
    await createGroup.getByRole("button", { name: "OK" }).click();
    await expect(createGroup.getByRole("alert")).toHaveText("Retention (days): must be a whole number between 1 and 365");
    await createGroup.getByLabel("Retention (days)").fill("3");
    await createGroup.getByRole("button", { name: "OK" }).click();
    await expect(createGroup).toHaveCount(0);
    await page.getByRole("table", { name: "Log Groups" }).getByRole("button", { name: groupName, exact: true }).click();
    await expect(page.getByRole("table", { name: "Log Streams" })).toContainText("No log streams in this group.");
    await page.getByRole("button", { name: "Create Log Stream" }).click();
    const createStream = page.getByRole("dialog", { name: "Create Log Stream" });
    await createStream.getByLabel("Log Stream Name").fill(streamName);
    await createStream.getByRole("button", { name: "OK" }).click();
    await expect(page.getByRole("table", { name: "Log Streams" }).getByRole("row").filter({ hasText: streamName })).toContainText("Off");

    // A load balancer with an HTTP listener to the backend; Configure Access Log into the stream.
    const row = await createLoadBalancerInConsole(page, { name: lbName, networkType: "Private network" });
    await row.getByRole("link", { name: lbName }).click();
    const privateIp = (await page.getByLabel("Basic Information", { exact: true }).innerText()).match(/127\.10\.\d+\.\d+/)![0];
    const port = await addTcpListenerWithOneBackend(page, backend.port, "HTTP");
    const base = `http://${privateIp}:${port}`;
    await expect.poll(() => get(`${base}/warm-up`), { timeout: 15_000 }).toBe(200);
    await page.getByRole("tab", { name: "Access Logs" }).click();
    await expect(page.getByText("Access logging is not configured.")).toBeVisible();
    await page.getByRole("button", { name: "Configure Access Log" }).click();
    const configure = page.getByRole("dialog", { name: "Configure Access Log" });
    await expect(configure.getByRole("switch", { name: "Access Logging" })).toBeChecked();
    await configure.getByLabel("Log Group").selectOption({ label: groupName });
    await configure.getByLabel("Log Stream").selectOption({ label: streamName });
    await configure.getByRole("button", { name: "OK" }).click();
    await expect(configure).toHaveCount(0);
    const settings = page.getByLabel("Access log settings");
    await expect(settings).toContainText("Enabled");
    await expect(settings).toContainText(groupName);
    await expect(settings).toContainText(streamName);

    // Requests through the engine once the new snapshot is applied: probes until the first one is logged.
    const tag = Date.now().toString(36);
    let probe = 0;
    await expect
      .poll(
        async () => {
          await get(`${base}/probe-${tag}-${probe++}`);
          await page.getByLabel("Path", { exact: true }).fill(`/probe-${tag}-`);
          await page.getByRole("button", { name: "Search", exact: true }).click();
          await page.waitForTimeout(1000);
          return results(page).getByRole("button", { name: /^Details of the record/ }).count();
        },
        { timeout: 45_000, intervals: [1500] },
      )
      .toBeGreaterThan(0);
    const foundPath = `/e2e-found-${tag}`;
    expect(await get(`${base}${foundPath}`)).toBe(200);
    const missing = [`/missing-${tag}-a`, `/missing-${tag}-b`, `/missing-${tag}-c`];
    for (const p of missing) expect(await get(`${base}${p}`)).toBe(404);
    for (let i = 0; i < 5; i++) expect(await get(`${base}/other-${tag}-${i}`)).toBe(200);

    // By path: only the request to foundPath, status 200; expanded, every field of table 7-1.
    await page.getByLabel("Path", { exact: true }).fill(foundPath);
    await searchUntil(page, 1);
    const first = results(page).getByRole("row").nth(1);
    await expect(first).toContainText(foundPath);
    await expect(first.getByRole("cell").nth(3)).toHaveText("200");
    await first.getByRole("button", { name: /^Details of the record/ }).click();
    const fields = results(page).getByLabel("Record fields");
    await expect(fields).toContainText("access_log_topic_id");
    await expect(fields).toContainText("e2e-access-logs/1.0");
    await expect(fields).toContainText(`127.0.0.1:${backend.port}`);
    await expect(fields).toContainText("tcpinfo_rtt");

    // By status: the three 404s, newest first.
    await page.getByLabel("Path", { exact: true }).fill("");
    await page.getByLabel("Status", { exact: true }).fill("404");
    await searchUntil(page, 3);
    const paths = await results(page).getByRole("row").filter({ hasText: "/missing-" }).allInnerTexts();
    expect(paths.map((text) => missing.find((p) => text.includes(p)))).toEqual([...missing].reverse());

    // Download the selection: the same three records as raw table 7-1 lines, oldest first.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download", exact: true }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^access-log_${lbName}_\\d{8}T\\d{6}Z-\\d{8}T\\d{6}Z\\.log$`));
    const lines = (await readFile((await download.path())!, "latin1")).split("\n");
    expect(lines.pop()).toBe("");
    const entries = lines.map((line) => parseAccessLogLine(line));
    expect(entries.map((e) => [e?.status, e?.routerRequestUri, e?.lbName, e?.httpUserAgent])).toEqual(missing.map((p) => [404, p, expect.stringContaining("loadbalancer_"), "e2e-access-logs/1.0"]));
  } finally {
    await backend.close().catch(() => undefined);
  }
});
