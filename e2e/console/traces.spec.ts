import { expect, test, type Page } from "@playwright/test";
import { createLoadBalancerInConsole, rowOf, uniqueName } from "../fixtures/load-balancers";

/** "2026-11-21T09:30" for a datetime-local input, in the browser's (and this runner's) local time. */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Creates a load balancer, modifies it twice (bandwidth, unbind EIP) and deletes it, all in the console. */
async function changeALoadBalancer(page: Page, name: string): Promise<void> {
  const row = await createLoadBalancerInConsole(page, { name, networkType: "Public network", bandwidth: 10 });
  await row.getByRole("button", { name: "Modify Bandwidth" }).click();
  const modify = page.getByRole("dialog", { name: "Modify Bandwidth" });
  await modify.getByLabel("Bandwidth (Mbit/s)").fill("12");
  await modify.getByRole("button", { name: "Next" }).click();
  await modify.getByRole("button", { name: "Submit" }).click();
  await expect(row).toContainText("12 Mbit/s");
  await row.getByRole("button", { name: "More" }).click();
  await page.getByRole("menuitem", { name: "Unbind EIP" }).click();
  await page.getByRole("dialog", { name: "Unbind EIP" }).getByRole("button", { name: "Yes" }).click();
  await expect(row).toContainText("Private network");
  await row.getByRole("button", { name: "More" }).click();
  await page.getByRole("menuitem", { name: "Delete" }).click();
  const del = page.getByRole("dialog", { name: "Delete Load Balancer" });
  await del.getByLabel(/to confirm/).fill(name);
  await del.getByRole("button", { name: "Yes" }).click();
  await expect(rowOf(page, name)).toHaveCount(0);
}

/** Guide 9.2: every load balancer operation leaves a trace; each filter of step 5 narrows the list; a row expands; View Trace shows figure 9-2's JSON. */
test("operations on a load balancer appear on the Trace List, filtered by each filter, expanded and viewed as JSON", async ({ page }) => {
  const name = uniqueName("e2e-traced");
  await changeALoadBalancer(page, name);

  await page.getByRole("link", { name: "Cloud Trace Service" }).click();
  const traces = page.getByRole("table", { name: "Traces" });
  const rows = (traceName: string) => traces.getByRole("row").filter({ hasText: traceName }).filter({ hasText: name });
  const ofThisBalancer = traces.getByRole("row").filter({ hasText: name });

  // Search By: resource name.
  await page.getByLabel("Search By").selectOption("resourceName");
  await page.getByLabel("Resource name").fill(name);
  await expect(rows("create loadbalancer")).toHaveCount(1);
  await expect(rows("update loadbalancer")).toHaveCount(2);
  await expect(rows("delete loadbalancer")).toHaveCount(1);
  await expect(rows("create loadbalancer")).toContainText("admin");
  await expect(rows("create loadbalancer")).toContainText("Normal");
  await expect(rows("create loadbalancer")).toContainText("ELB");

  // Trace Type: every trace is a management trace; data traces: none.
  await page.getByLabel("Trace Type").selectOption("data");
  await expect(traces).toContainText("No trace matches the filters.");
  await page.getByLabel("Trace Type").selectOption("management");
  await expect(ofThisBalancer).toHaveCount(4);

  // Trace Source: the load balancer's traces are ELB's, not IAM's.
  await page.getByLabel("Trace Source").selectOption("IAM");
  await expect(traces).toContainText("No trace matches the filters.");
  await page.getByLabel("Trace Source").selectOption("ELB");
  await expect(ofThisBalancer).toHaveCount(4);

  // Resource Type.
  await page.getByLabel("Resource Type").selectOption("loadbalancer");
  await expect(ofThisBalancer).toHaveCount(4);
  await page.getByLabel("Resource Type").selectOption("user");
  await expect(traces).toContainText("No trace matches the filters.");
  await page.getByLabel("Resource Type").selectOption("");

  // Operator.
  await page.getByLabel("Operator").selectOption("admin");
  await expect(ofThisBalancer).toHaveCount(4);

  // Trace Status: nothing here was refused, so no Warning.
  await page.getByLabel("Trace Status").selectOption("warning");
  await expect(traces).toContainText("No trace matches the filters.");
  await page.getByLabel("Trace Status").selectOption("all");
  await expect(ofThisBalancer).toHaveCount(4);

  // Time range: within the last 7 days; an older start is refused, naming the field.
  const now = Date.now();
  await page.getByLabel("From", { exact: true }).fill(localInput(new Date(now - 8 * 24 * 3600_000)));
  await expect(traces.getByRole("alert")).toContainText("Time range: the start time must be within the last 7 days");
  await page.getByLabel("From", { exact: true }).fill(localInput(new Date(now - 3 * 3600_000)));
  await expect(ofThisBalancer).toHaveCount(4);
  await page.getByLabel("To", { exact: true }).fill(localInput(new Date(now - 2 * 3600_000)));
  await expect(traces).toContainText("No trace matches the filters.");
  await page.getByLabel("To", { exact: true }).fill("");
  await expect(ofThisBalancer).toHaveCount(4);

  // Search By: resource ID (the load balancer's, read off its create trace), then trace name.
  const resourceId = (await rows("create loadbalancer").locator("code").innerText()).trim();
  expect(resourceId).not.toBe("");
  await page.getByRole("button", { name: "Reset" }).click();
  await page.getByLabel("Search By").selectOption("resourceId");
  await page.getByLabel("Resource ID").fill(resourceId);
  await expect(ofThisBalancer).toHaveCount(4);
  await expect(traces.getByRole("row")).toHaveCount(5); // the header and this load balancer's four traces
  await page.getByLabel("Search By").selectOption("traceName");
  await page.getByLabel("Trace name").selectOption("delete loadbalancer");
  await expect(rows("delete loadbalancer")).toHaveCount(1);
  await expect(rows("create loadbalancer")).toHaveCount(0);

  // The users' traces (the log-in of the setup) are IAM's.
  await page.getByRole("button", { name: "Reset" }).click();
  await page.getByLabel("Trace Source").selectOption("IAM");
  await expect(traces.getByRole("row").filter({ hasText: "log in" }).first()).toContainText("IAM");
  await expect(traces.getByRole("row").filter({ hasText: "loadbalancer" })).toHaveCount(0);

  // Expand a row: its details inline, request and response included.
  await page.getByRole("button", { name: "Reset" }).click();
  await page.getByLabel("Search By").selectOption("resourceName");
  await page.getByLabel("Resource name").fill(name);
  const created = rows("create loadbalancer");
  await created.getByRole("button", { name: /^Expand create loadbalancer/ }).click();
  const details = traces.getByRole("definition").first().locator("xpath=ancestor::dl");
  await expect(details).toContainText("Management");
  await expect(details).toContainText(resourceId);
  await expect(details).toContainText('"bandwidthMbit":10');
  await created.getByRole("button", { name: /^Collapse create loadbalancer/ }).click();
  await expect(traces.locator("dl")).toHaveCount(0);

  // View Trace: the JSON of figure 9-2, its fields in its order and nesting.
  await created.getByRole("button", { name: /View Trace/ }).click();
  const view = page.getByRole("dialog", { name: "View Trace" });
  const text = await view.getByLabel("Trace JSON").innerText();
  expect(text.startsWith('"context": ')).toBe(true);
  const context = JSON.parse(text.slice('"context": '.length)) as Record<string, unknown>;
  expect(Object.keys(context)).toEqual([
    "code", "source_ip", "trace_type", "event_type", "project_id", "trace_id", "trace_name", "resource_type", "trace_rating", "api_version",
    "service_type", "request", "response", "resource_id", "tracker_name", "time", "resource_name", "record_time", "user",
  ]);
  expect(context).toMatchObject({
    code: "200",
    trace_type: "ConsoleAction",
    event_type: "system",
    trace_name: "create loadbalancer",
    resource_type: "loadbalancer",
    trace_rating: "normal",
    service_type: "ELB",
    resource_id: resourceId,
    resource_name: name,
    tracker_name: "system",
    user: { name: "admin", domain: { name: expect.any(String), id: expect.any(String) } },
  });
  expect(Number(context.time)).toBeGreaterThan(now - 10 * 60_000);
  // request and response are JSON text, as the figure's response is.
  expect(JSON.parse(context.request as string)).toMatchObject({ name });
  expect(context.request).toContain('"bandwidthMbit":10');
  expect(JSON.parse(context.response as string)).toMatchObject({ id: resourceId });
  await view.getByRole("button", { name: "OK" }).click();
});
