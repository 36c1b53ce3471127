import { expect, request, test } from "@playwright/test";
import { uniqueName } from "../fixtures/load-balancers";

/**
 * Settings → Metrics and Prometheus: an administrator creates a scrape token (shown once); GET /metrics
 * with it answers the Prometheus text format without any console session, and 401 without it, with a
 * wrong one, and once the token is deleted. The retention form refuses an out-of-range value under its field.
 */
test("a Prometheus token created in Settings scrapes /metrics; no, a wrong or a deleted token gets 401", async ({ page, baseURL }) => {
  const name = uniqueName("prom").slice(0, 40);
  await page.goto("/settings?tab=metrics");
  await page.getByRole("button", { name: "Create Token" }).click();
  const create = page.getByRole("dialog", { name: "Create Token" });
  await create.getByRole("textbox", { name: "Name" }).fill(name);
  await create.getByRole("button", { name: "OK" }).click();
  const shown = page.getByRole("dialog", { name: "Token Created" });
  const token = (await shown.getByLabel("New token").innerText()).trim();
  expect(token).toMatch(/^elbm_[A-Za-z0-9_-]{43}$/);
  await shown.getByRole("button", { name: "Done" }).click();
  const table = page.getByRole("table", { name: "Prometheus tokens" });
  await expect(table).toContainText(name);
  await expect(table).not.toContainText(token);

  // A scraper has no console session: a fresh request context without cookies.
  const scraper = await request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  try {
    expect((await scraper.get("/metrics")).status()).toBe(401);
    expect((await scraper.get("/metrics", { headers: { authorization: `Bearer ${token}0` } })).status()).toBe(401);
    const scraped = await scraper.get("/metrics", { headers: { authorization: `Bearer ${token}` } });
    expect(scraped.status()).toBe(200);
    expect(scraped.headers()["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await scraped.text();
    expect(body).toContain("# TYPE elb_connections_total counter");
    expect(body).toContain("# TYPE elb_concurrent_connections gauge");
    await page.reload();
    await expect(table.getByRole("row").filter({ hasText: name })).not.toContainText("Never");

    await table.getByRole("button", { name: `Delete token ${name}` }).click();
    await page.getByRole("dialog", { name: "Delete Token" }).getByRole("button", { name: "Delete" }).click();
    await expect(table).not.toContainText(name);
    expect((await scraper.get("/metrics", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);
  } finally {
    await scraper.dispose();
  }
});

test("the metric retention form saves valid days and names the field of an invalid one", async ({ page }) => {
  await page.goto("/settings?tab=metrics");
  const form = page.getByRole("form", { name: "Metric Retention" });
  const raw = form.getByRole("textbox", { name: "1-minute points (days)" });
  await expect(raw).toHaveValue(/^\d+$/);
  const before = await raw.inputValue();
  await raw.fill("40");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form).toContainText("1-minute points: enter a whole number of days between 1 and 31");
  await raw.fill("5");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form).toContainText("Saved.");
  await page.reload();
  await expect(form.getByRole("textbox", { name: "1-minute points (days)" })).toHaveValue("5");
  await form.getByRole("textbox", { name: "1-minute points (days)" }).fill(before);
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form).toContainText("Saved.");
});
