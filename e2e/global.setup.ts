import { expect, test as setup } from "@playwright/test";
import path from "node:path";
import { E2E_ADMIN_PASSWORD } from "../playwright.config";

/** Logs in once as the administrator through the login page and saves the session for the other tests. */
setup("log in as administrator", async ({ page }) => {
  await page.goto("/load-balancers");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("User Name").fill("admin");
  await page.getByLabel("Password").fill(E2E_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Log In" }).click();
  await expect(page.getByRole("heading", { name: "Load Balancers" })).toBeVisible();
  await page.context().storageState({ path: path.join(process.env.ELB_E2E_DATA_DIR!, "admin-state.json") });
});
