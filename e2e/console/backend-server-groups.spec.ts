import { expect, test } from "@playwright/test";
import { createLoadBalancerInConsole, uniqueName } from "../fixtures/load-balancers";

/** Guide 4.3 / 5.1 / table 10-1 in the console: add, modify and configure a backend server group. */
test("backend server groups: add, modify with the table 10-1 rules, configure the health check", async ({ page }) => {
  const name = uniqueName("e2e-groups");
  const row = await createLoadBalancerInConsole(page, { name, networkType: "Private network" });
  await row.getByRole("link", { name }).click();
  await page.getByRole("tab", { name: "Backend Server Groups" }).click();
  await expect(page.getByText("No backend server groups.")).toBeVisible();

  // Add Backend Server Group: HTTP, Weighted least connections, with its health check.
  await page.getByRole("button", { name: "Add Backend Server Group" }).click();
  const add = page.getByRole("dialog", { name: "Add Backend Server Group" });
  await add.getByRole("textbox", { name: "Name", exact: true }).fill("group-http");
  await add.getByLabel("Backend Protocol").selectOption("HTTP");
  await add.getByLabel("Load Balancing Algorithm").selectOption({ label: "Weighted least connections" });
  await expect(add.getByRole("switch", { name: "Sticky Session" })).toBeDisabled();
  await add.getByRole("button", { name: "OK" }).click();
  const groups = page.getByRole("table", { name: "Backend Server Groups" });
  await expect(groups).toContainText("group-http");
  const basic = page.getByLabel("Backend Server Group Basic Information");
  await expect(basic).toContainText("Weighted least connections");

  // Modify: Weighted round robin with a load balancer cookie; a duration beyond 1440 min is refused.
  await groups.getByRole("row").filter({ hasText: "group-http" }).getByRole("button", { name: "Modify" }).click();
  const modify = page.getByRole("dialog", { name: "Modify Backend Server Group" });
  await modify.getByLabel("Load Balancing Algorithm").selectOption({ label: "Weighted round robin" });
  await modify.getByRole("switch", { name: "Sticky Session" }).check({ force: true });
  await modify.getByLabel("Sticky Session Type").selectOption({ label: "Load balancer cookie" });
  await modify.getByLabel("Stickiness Duration (min)").fill("1441");
  await modify.getByRole("button", { name: "OK" }).click();
  await expect(modify.getByText(/1 to 1440|1–1440|between 1 and 1440/).first()).toBeVisible();
  await modify.getByLabel("Stickiness Duration (min)").fill("30");
  await modify.getByRole("button", { name: "OK" }).click();
  await expect(modify).toHaveCount(0);
  await expect(basic).toContainText("Weighted round robin");
  await expect(basic).toContainText(/Load balancer cookie/);

  // Configure beside Health Check: an interval above 50 s is refused, 10 s is saved.
  await basic.getByRole("button", { name: "Configure" }).click();
  const configure = page.getByRole("dialog", { name: "Configure Health Check" });
  await configure.getByLabel("Interval (s)").fill("60");
  await configure.getByRole("button", { name: "OK" }).click();
  await expect(configure.getByText(/Interval \(s\)/).last()).toBeVisible();
  await expect(configure).toContainText(/1 to 50|between 1 and 50/);
  await configure.getByLabel("Interval (s)").fill("10");
  await configure.getByRole("button", { name: "OK" }).click();
  await expect(configure).toHaveCount(0);
  await expect(basic).toContainText(/10 s/);
});
