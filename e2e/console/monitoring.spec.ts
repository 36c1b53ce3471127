import { expect, test, type Locator, type Page } from "@playwright/test";
import http from "node:http";
import { alarmRuleRow } from "../fixtures/alarm-rules";
import { startNamedBackend } from "../fixtures/backends";
import { addTcpListenerWithOneBackend, createLoadBalancerInConsole, uniqueName } from "../fixtures/load-balancers";
import { setSwitch } from "../fixtures/listener-dialog";

/** One GET through the load balancer (new connection each); resolves with the status, never rejects. */
function get(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve(0));
  });
}

/** Sends a request every `everyMs` until stopped; counts the 200s. */
function steadyTraffic(url: string, everyMs: number) {
  let ok = 0;
  let stopped = false;
  const timer = setInterval(() => {
    if (!stopped) void get(url).then((status) => (ok += status === 200 ? 1 : 0));
  }, everyMs);
  return {
    answered: () => ok,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}

/** A metric's panel on a Monitoring view, by the metric's name. */
const panel = (page: Page, name: string) => page.getByRole("region", { name, exact: true });

/** The latest value a panel shows ("No data" until a point exists). */
const latestOf = (page: Page, name: string) => panel(page, name).getByLabel(`Latest ${name}`, { exact: true });

/**
 * Waits, without touching the page, until the panel's latest value is at least `atLeast`: the point of the
 * first whole minute of traffic exists once that minute completed and the collector wrote it (up to ~130 s
 * after the first request; a minute the traffic only partly covered reads lower), and the view shows it
 * at its next auto-refresh (every 60 s) — nothing else reloads the charts.
 */
async function waitForAutoRefreshedValue(page: Page, name: string, atLeast: number): Promise<void> {
  await expect
    .poll(async () => Number.parseFloat(await latestOf(page, name).innerText()) || 0, { timeout: 240_000, intervals: [2000] })
    .toBeGreaterThanOrEqual(atLeast);
}

/** Hovers the right end of a panel's chart (the newest point) and returns the legend's value for the metric. */
async function hoveredValue(chart: Locator): Promise<string> {
  const over = chart.locator(".u-over");
  const box = (await over.boundingBox())!;
  await over.hover({ position: { x: box.width - 2, y: box.height / 2 } });
  return chart.locator(".u-legend .u-series").nth(1).locator(".u-value").innerText();
}

/**
 * Issue 11 item 2: real HTTP traffic through a listener created in the console shows up on the load
 * balancer's Monitoring tab (a chart with points, a latest value and hover values with units), the time
 * range and metric picker change what is shown, the listener's own Monitoring tab charts it, and the
 * Monitoring overview lists the load balancer's key numbers and links back to its tab. Then item 3 in the
 * running console: an alarm rule on the listener goes to Alarm and a real webhook receiver gets the POST.
 */
test("traffic through an HTTP listener appears on the Monitoring tab, the listener's monitoring and the overview; an alarm rule on it fires its webhook", async ({ page }) => {
  test.setTimeout(720_000);
  const backend = await startNamedBackend("metrics-backend");
  let traffic: ReturnType<typeof steadyTraffic> | null = null;
  let webhook: Awaited<ReturnType<typeof startWebhookReceiver>> | null = null;
  try {
    const lbName = uniqueName("e2e-mon");
    const row = await createLoadBalancerInConsole(page, { name: lbName, networkType: "Private network" });
    await row.getByRole("link", { name: lbName }).click();
    const privateIp = (await page.getByLabel("Basic Information", { exact: true }).innerText()).match(/127\.10\.\d+\.\d+/)![0];
    const port = await addTcpListenerWithOneBackend(page, backend.port, "HTTP");
    const url = `http://${privateIp}:${port}/`;
    await expect.poll(() => get(url), { timeout: 15_000 }).toBe(200);
    traffic = steadyTraffic(url, 250);

    // The Monitoring tab: the defaults for a load balancer with an HTTP listener.
    await page.getByRole("tab", { name: "Monitoring" }).click();
    for (const name of ["Concurrent Connections", "New Connections", "Inbound Rate", "Outbound Rate", "Layer-7 Query Rate", "2xx Status Codes", "5xx Status Codes", "Average Layer-7 Response Time"]) {
      await expect(panel(page, name)).toBeVisible();
    }
    await expect(panel(page, "Incoming Packets")).toHaveCount(0);
    await expect(page.getByRole("switch", { name: "Auto Refresh" })).toBeChecked();
    await waitForAutoRefreshedValue(page, "Layer-7 Query Rate", 2);
    expect(traffic.answered()).toBeGreaterThan(0);
    // Auto-refresh off: the numbers compared below come from one answer.
    await setSwitch(page.locator("main"), "Auto Refresh", false);

    // The chart holds points, its latest value and the legend under the cursor carry the unit.
    const queries = panel(page, "Layer-7 Query Rate");
    const chart = queries.getByRole("figure", { name: "Layer-7 Query Rate chart" });
    expect(Number(await chart.getAttribute("data-points"))).toBeGreaterThan(0);
    const latest = await latestOf(page, "Layer-7 Query Rate").innerText();
    expect(latest).toMatch(/^\d+(\.\d+)? Query\/s$/);
    // The client sends one request every 250 ms (4/s): a whole minute of it is within 2–4.5 Query/s (timers slip on a busy box).
    expect(Number.parseFloat(latest)).toBeLessThanOrEqual(4.5);
    // The legend shows the value under the cursor: at the right end, the newest point.
    expect(await hoveredValue(chart)).toBe(latest);
    await expect(latestOf(page, "2xx Status Codes")).toHaveText(/^\d+(\.\d+)? Count\/s$/);
    // Every answer is a 200: the 2xx rate is the query rate (same point, same counters).
    expect(await latestOf(page, "2xx Status Codes").innerText()).toBe(latest.replace("Query/s", "Count/s"));
    await expect(latestOf(page, "5xx Status Codes")).toHaveText("0 Count/s");
    await expect(latestOf(page, "Inbound Rate")).toHaveText(/^\d+(\.\d+)? (B|KB|MB)\/s$/);
    await expect(latestOf(page, "Average Layer-7 Response Time")).toHaveText(/^\d+(\.\d+)? ms$/);

    // Time range 3 h: the range caption moves back 3 hours, the points are still there.
    const caption = page.getByText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d – /);
    const before = await caption.innerText();
    await page.getByRole("radiogroup", { name: "Time Range" }).getByText("3 h").click();
    await expect(caption).not.toHaveText(before);
    const [fromText, toText] = (await caption.innerText()).split(" · ")[0]!.split(" – ") as [string, string];
    const span = new Date(toText.replace(" ", "T")).getTime() - new Date(fromText.replace(" ", "T")).getTime();
    expect(span).toBe(3 * 3_600_000);
    await expect(latestOf(page, "Layer-7 Query Rate")).not.toHaveText("No data");
    await expect(caption).toContainText("1-minute points");
    // 7 d reads the 5-minute roll-ups (the server picks the resolution; the caption says which).
    await page.getByRole("radiogroup", { name: "Time Range" }).getByText("7 d").click();
    await expect(caption).toContainText("5-minute points");
    // Custom: To before From is refused naming the field.
    await page.getByRole("radiogroup", { name: "Time Range" }).getByText("Custom").click();
    await page.getByLabel("From", { exact: true }).fill("2026-01-02T10:00");
    await page.getByLabel("To", { exact: true }).fill("2026-01-01T10:00");
    await expect(page.getByRole("alert").filter({ hasText: "To must be later than From." })).toBeVisible();
    await page.getByRole("radiogroup", { name: "Time Range" }).getByText("1 h").click();

    // Metric picker: add Incoming Packets (its description says how the engine counts), remove Concurrent Connections.
    await page.getByRole("button", { name: /^Metrics \(\d+\)$/ }).click();
    const picker = page.getByRole("group", { name: "Metrics" });
    await picker.getByRole("checkbox", { name: /^Incoming Packets/ }).check();
    await picker.getByRole("checkbox", { name: /^Concurrent Connections/ }).uncheck();
    await picker.getByRole("button", { name: "Close" }).click();
    await expect(panel(page, "Incoming Packets")).toContainText("the engine counts each socket read");
    await expect(latestOf(page, "Incoming Packets")).toHaveText(/^\d+(\.\d+)? Packet\/s$/);
    await expect(panel(page, "Concurrent Connections")).toHaveCount(0);

    // Dimension: the listener; server health is a load balancer metric and is not offered for it.
    await page.getByRole("button", { name: /^Metrics \(\d+\)$/ }).click();
    await expect(picker.getByRole("checkbox", { name: /^Healthy Servers/ })).toBeVisible();
    await page.getByLabel("Dimension").selectOption({ label: `Listener: ${await listenerName(page, port)} (HTTP/${port})` });
    await expect(picker.getByRole("checkbox", { name: /^Healthy Servers/ })).toHaveCount(0);
    await picker.getByRole("button", { name: "Close" }).click();
    await expect(latestOf(page, "Layer-7 Query Rate")).not.toHaveText("No data");

    // The listener's page has a Monitoring tab with the same charts for that listener.
    await page.getByRole("tab", { name: "Listeners" }).click();
    await page.getByRole("table", { name: "Listeners" }).getByRole("link").first().click();
    await page.getByRole("tab", { name: "Monitoring" }).click();
    await expect(latestOf(page, "Layer-7 Query Rate")).toHaveText(/^\d+(\.\d+)? Query\/s$/, { timeout: 20_000 });
    expect(Number(await panel(page, "Layer-7 Query Rate").getByRole("figure").getAttribute("data-points"))).toBeGreaterThan(0);

    // The overview: the load balancer's key numbers, and its name opens its Monitoring tab.
    await page.getByRole("link", { name: "Monitoring", exact: true }).click();
    const overviewRow = page.getByRole("table", { name: "Load balancer metrics" }).getByRole("row").filter({ has: page.getByRole("link", { name: lbName, exact: true }) });
    await expect(overviewRow).toContainText(/\d+(\.\d+)? Query\/s/, { timeout: 20_000 });
    await expect(overviewRow).toContainText(/\d+(\.\d+)? (B|KB|MB)\/s/);
    expect(Number(await overviewRow.getByRole("figure").getAttribute("data-points"))).toBeGreaterThan(0);
    await overviewRow.getByRole("link", { name: lbName, exact: true }).click();
    await expect(page).toHaveURL(/\?tab=monitoring$/);
    await expect(panel(page, "Layer-7 Query Rate")).toBeVisible();

    // Alarm rules in the running console (its alarm service at the default cadence, every minute): a rule
    // on the listener's query rate (Raw data ≥ 1; the client sends 4/s) goes to Alarm on its own, the
    // webhook on loopback receives the JSON POST, and the rule's page lists the transition and the delivery.
    webhook = await startWebhookReceiver();
    const ruleName = uniqueName("alarm-qps");
    await page.goto("/alarm-rules");
    await page.getByRole("button", { name: "Create Alarm Rule" }).click();
    const create = page.getByRole("dialog", { name: "Create Alarm Rule" });
    await create.getByRole("textbox", { name: "Name", exact: true }).fill(ruleName);
    await create.getByLabel("Load Balancer").selectOption({ label: lbName });
    await create.getByLabel("Dimension").selectOption({ label: "Listeners" });
    const listenerSelect = create.getByRole("combobox", { name: "Listener", exact: true });
    await listenerSelect.selectOption({ label: (await listenerSelect.locator("option", { hasText: `(HTTP/${port})` }).innerText()).trim() });
    await create.getByLabel("Metric").selectOption("mb_l7_queries");
    await create.getByLabel("Statistic").selectOption({ label: "Raw data" });
    await create.getByLabel("Comparison").selectOption({ label: "≥" });
    await create.getByLabel("Threshold").fill("1");
    await create.getByLabel("Consecutive Periods").selectOption("1");
    await create.getByLabel("Alarm Severity").selectOption({ label: "Major" });
    await create.getByLabel("Notification URL").fill(webhook.url);
    await create.getByRole("button", { name: "Create", exact: true }).click();
    await expect(create).toBeHidden();
    // Nobody asks for an evaluation: the service's own minute timer judges the rule, the delivery loop posts.
    await expect.poll(() => webhook!.received.length, { timeout: 180_000, intervals: [2000] }).toBeGreaterThan(0);
    const posted = webhook.received[0]!;
    expect(posted).toMatchObject({ event: "ALARM", rule: { name: ruleName, severity: "MAJOR" }, metric: { id: "mb_l7_queries", statistic: "RAW", periodSeconds: 60 }, fromState: "INSUFFICIENT_DATA", toState: "ALARM" });
    expect(posted.value).toBeGreaterThanOrEqual(1);
    await alarmRuleRow(page, ruleName).getByRole("link", { name: ruleName, exact: true }).click();
    await expect(page.getByRole("heading", { name: ruleName })).toBeVisible();
    await expect(page.getByLabel("Alarm Rule", { exact: true })).toContainText(/Status\s*Alarm/);
    const history = page.getByRole("table", { name: "Alarm History" }).getByRole("row").filter({ hasText: "Insufficient data" });
    await expect(history).toContainText("Alarm");
    // The delivery shows once recorded (the page refreshes every 15 s).
    const delivery = page.getByRole("table", { name: "Notifications" }).getByRole("row").filter({ hasText: webhook.url });
    await expect(delivery).toContainText("Delivered", { timeout: 30_000 });
    await expect(delivery).toContainText("200");
  } finally {
    traffic?.stop();
    await webhook?.close();
    await backend.close().catch(() => undefined);
  }
});

/** A webhook receiver on loopback: records each POSTed JSON body, answers 200. */
async function startWebhookReceiver(): Promise<{ url: string; received: AlarmPost[]; close(): Promise<void> }> {
  const received: AlarmPost[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      if (req.method === "POST") received.push(JSON.parse(body) as AlarmPost);
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/elb-alarms`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The parts of an alarm notification's JSON the test reads (server/alarms/notification-payload.ts). */
interface AlarmPost {
  event: string;
  rule: { name: string; severity: string };
  metric: { id: string; statistic: string; periodSeconds: number };
  value: number | null;
  fromState: string;
  toState: string;
}

/** The name of the listener on `port` (the Add Listener dialog named it by default), from the Dimension choices. */
async function listenerName(page: Page, port: number): Promise<string> {
  const option = page.getByLabel("Dimension").locator("option", { hasText: `(HTTP/${port})` });
  return (await option.innerText()).replace(/^Listener: /, "").replace(/ \(HTTP\/\d+\)$/, "");
}
