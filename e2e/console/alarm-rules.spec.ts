import { expect, test } from "@playwright/test";
import { alarmRuleRow as ruleRow } from "../fixtures/alarm-rules";
import { addTcpListenerWithOneBackend, createLoadBalancerInConsole, uniqueName } from "../fixtures/load-balancers";
import { freeListenerPort } from "../fixtures/ports";


/**
 * Alarm rules (guide 8.2) by clicking: Create Alarm Rule on a listener (its layer-7 metrics offered because
 * it is HTTP), a refusal shown under its field, the rule listed in Insufficient data, Modify, Disable,
 * the details page, Delete with confirmation.
 */
test("create an alarm rule on an HTTP listener, see it listed, modify, disable and delete it", async ({ page }) => {
  const lbName = uniqueName("elb-alarm");
  const ruleName = uniqueName("alarm-5xx");
  const row = await createLoadBalancerInConsole(page, { name: lbName, networkType: "Private network" });
  await row.getByRole("link", { name: lbName }).click();
  const listenerPort = await addTcpListenerWithOneBackend(page, await freeListenerPort(), "HTTP");

  await page.goto("/alarm-rules");
  await expect(page.getByRole("heading", { name: "Alarm Rules" })).toBeVisible();
  await page.getByRole("button", { name: "Create Alarm Rule" }).click();
  const create = page.getByRole("dialog", { name: "Create Alarm Rule" });
  await create.getByRole("textbox", { name: "Name", exact: true }).fill(ruleName);
  await expect(create.getByLabel("Resource Type")).toHaveValue("ELB");
  // Load balancer dimension: Unhealthy Servers is offered, and layer-7 metrics because the load balancer has an HTTP listener.
  await create.getByLabel("Load Balancer").selectOption({ label: lbName });
  await expect(create.getByLabel("Metric").locator("option", { hasText: "Unhealthy Servers" })).toHaveCount(1);
  await create.getByLabel("Dimension").selectOption({ label: "Listeners" });
  await expect(create.getByLabel("Metric").locator("option", { hasText: "Unhealthy Servers" })).toHaveCount(0);
  const listenerSelect = create.getByRole("combobox", { name: "Listener", exact: true });
  await listenerSelect.selectOption({ index: 1 });
  const listenerLabel = await listenerSelect.locator("option:checked").innerText();
  expect(listenerLabel).toContain(`(HTTP/${listenerPort})`);
  const listenerName = listenerLabel.replace(/ \(HTTP\/\d+\)$/, "");
  await create.getByLabel("Metric").selectOption("mf_l7_http_5xx");
  await create.getByLabel("Statistic").selectOption({ label: "Sum" });
  await expect(create.getByRole("combobox", { name: "Period", exact: true })).toHaveValue("300");
  await create.getByLabel("Comparison").selectOption({ label: "≥" });
  await create.getByLabel("Consecutive Periods").selectOption("2");
  await create.getByLabel("Alarm Severity").selectOption({ label: "Critical" });
  await create.getByLabel("Notification URL").fill("ftp://hooks.example.com/elb");
  // No threshold yet, a bad URL: the rules' messages show under both fields, nothing is created.
  await create.getByRole("button", { name: "Create", exact: true }).click();
  await expect(create.getByRole("alert")).toHaveText(["Threshold: enter a number between 0 and 1000000000000", "Notification URL: enter an http:// or https:// URL, such as https://hooks.example.com/elb"]);
  await create.getByLabel("Threshold").fill("5");
  await create.getByRole("button", { name: "Create", exact: true }).click();
  await expect(create.getByRole("alert")).toHaveText(["Notification URL: enter an http:// or https:// URL, such as https://hooks.example.com/elb"]);
  await create.getByLabel("Notification URL").fill("http://127.0.0.1:9/elb-alarms");
  await create.getByRole("button", { name: "Create", exact: true }).click();
  await expect(create).toBeHidden();

  const listed = ruleRow(page, ruleName);
  await expect(listed).toContainText("Insufficient data");
  await expect(listed).toContainText("5xx Status Codes");
  await expect(listed).toContainText("Sum ≥ 5 Count/s, 2 consecutive periods of 5 minutes");
  await expect(listed).toContainText("Critical");
  await expect(listed).toContainText("Enabled");
  await expect(listed.getByRole("link", { name: listenerName, exact: true })).toBeVisible();
  await expect(listed).toContainText(lbName);

  // Modify: Raw data (1 minute), threshold 10, Minor.
  await listed.getByRole("button", { name: `Modify alarm rule ${ruleName}` }).click();
  const modify = page.getByRole("dialog", { name: "Modify Alarm Rule" });
  await expect(modify.getByLabel("Threshold")).toHaveValue("5");
  await modify.getByLabel("Statistic").selectOption({ label: "Raw data" });
  await expect(modify.getByRole("combobox", { name: "Period", exact: true })).toHaveValue("60");
  await expect(modify.getByRole("combobox", { name: "Period", exact: true })).toBeDisabled();
  await modify.getByLabel("Threshold").fill("10");
  await modify.getByLabel("Alarm Severity").selectOption({ label: "Minor" });
  await modify.getByRole("button", { name: "Modify", exact: true }).click();
  await expect(modify).toBeHidden();
  await expect(listed).toContainText("Raw data ≥ 10 Count/s, 2 consecutive periods of 1 minute");
  await expect(listed).toContainText("Minor");

  // Disable, then the details page says so and shows the (empty) history and deliveries.
  await listed.getByRole("button", { name: `Disable alarm rule ${ruleName}` }).click();
  await expect(listed).toContainText("Disabled");
  await expect(listed.getByRole("button", { name: `Enable alarm rule ${ruleName}` })).toBeVisible();
  await listed.getByRole("link", { name: ruleName }).click();
  await expect(page.getByRole("heading", { name: ruleName })).toBeVisible();
  const info = page.getByLabel("Alarm Rule", { exact: true });
  await expect(info).toContainText("Disabled");
  await expect(info).toContainText("http://127.0.0.1:9/elb-alarms");
  await expect(page.getByRole("table", { name: "Alarm History" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Notifications" })).toBeVisible();
  await page.getByRole("button", { name: "Enable", exact: true }).click();
  await expect(info).toContainText("Enabled");

  // Delete with confirmation: back on the list, gone.
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const confirm = page.getByRole("dialog", { name: "Delete Alarm Rule" });
  await expect(confirm).toContainText(ruleName);
  await confirm.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("heading", { name: "Alarm Rules" })).toBeVisible();
  await expect(ruleRow(page, ruleName)).toHaveCount(0);
});
