import { expect, test } from "@playwright/test";
import { uniqueName } from "../fixtures/load-balancers";

/** A read-only user sees everything and changes nothing: the server refuses, not just the UI. */
test("a read-only user cannot create a load balancer", async ({ page, browser }) => {
  const username = uniqueName("viewer").slice(0, 32);
  const password = "viewer-password-1";
  await page.goto("/settings?tab=users");
  await page.getByRole("button", { name: "Create User" }).click();
  const dialog = page.getByRole("dialog", { name: "Create User" });
  await dialog.getByRole("textbox", { name: "User Name" }).fill(username);
  await dialog.getByRole("radiogroup", { name: "Role" }).getByText("Read-only").click();
  await dialog.getByLabel("Password").fill(password);
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(page.getByRole("table", { name: "Users" })).toContainText(username);

  const viewerContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const viewer = await viewerContext.newPage();
  try {
    await viewer.goto("/login");
    await viewer.getByLabel("User Name").fill(username);
    await viewer.getByLabel("Password").fill(password);
    await viewer.getByRole("button", { name: "Log In" }).click();
    await expect(viewer.getByTestId("current-user")).toContainText("Read-only");
    await expect(viewer.getByRole("table", { name: "Load balancers" })).toBeVisible();

    await viewer.getByRole("link", { name: "Create Elastic Load Balancer" }).click();
    await viewer.getByRole("textbox", { name: "Name", exact: true }).fill("viewer-lb");
    await viewer.getByRole("button", { name: "Create Now" }).click();
    await viewer.getByRole("button", { name: "Submit" }).click();
    await expect(viewer.getByRole("alert").filter({ hasText: "Read-only users cannot change resources" })).toBeVisible();

    // Bypassing the UI does not help either.
    const response = await viewer.request.post("/api/trpc/loadBalancer.create", { data: { json: { networkType: "private", vpcId: "x", subnetId: "y", name: "viewer-lb" } } });
    expect(response.status()).toBe(403);
  } finally {
    await viewerContext.close();
  }
  await page.goto("/load-balancers");
  await page.getByLabel("Search").fill("viewer-lb");
  await expect(page.getByText("No load balancer matches the filter.")).toBeVisible();
});
