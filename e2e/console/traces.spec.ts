import { expect, test } from "@playwright/test";
import { createLoadBalancerInConsole, rowOf, uniqueName } from "../fixtures/load-balancers";

/** Guide 9.2: every load balancer operation leaves a trace, listed on the Trace List and viewable as JSON. */
test("operations on a load balancer appear on the Trace List", async ({ page }) => {
  const name = uniqueName("e2e-traced");
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

  await page.getByRole("link", { name: "Cloud Trace Service" }).click();
  await page.getByLabel("Search By").selectOption("resourceName");
  await page.getByLabel("Resource name").fill(name);
  const traces = page.getByRole("table", { name: "Traces" });
  await expect(traces.getByRole("row").filter({ hasText: "create loadbalancer" })).toHaveCount(1);
  await expect(traces.getByRole("row").filter({ hasText: "update loadbalancer" })).toHaveCount(2);
  await expect(traces.getByRole("row").filter({ hasText: "delete loadbalancer" })).toHaveCount(1);
  await expect(traces.getByRole("row").filter({ hasText: "create loadbalancer" })).toContainText("admin");
  await expect(traces.getByRole("row").filter({ hasText: "create loadbalancer" })).toContainText("Normal");

  await traces.getByRole("row").filter({ hasText: "create loadbalancer" }).getByRole("button", { name: /View Trace/ }).click();
  const view = page.getByRole("dialog", { name: "View Trace" });
  await expect(view).toContainText('"trace_name": "create loadbalancer"');
  await expect(view).toContainText('"resource_type": "loadbalancer"');
  await expect(view).toContainText(`"resource_name": "${name}"`);
  await expect(view).toContainText('"bandwidthMbit": 10');
  await view.getByRole("button", { name: "OK" }).click();

  // Filter by status: a refused request is a Warning.
  await page.getByLabel("Trace Status").selectOption("warning");
  await expect(traces.getByRole("row").filter({ hasText: "create loadbalancer" })).toHaveCount(0);
});
