import { expect, test } from "@playwright/test";
import readXlsxFile from "read-excel-file/node";
import { readFile } from "node:fs/promises";
import { createLoadBalancerInConsole, rowOf, searchByName, uniqueName } from "../fixtures/load-balancers";

/** Guide chapter 2 end to end: create private + public, bind/unbind EIP, modify bandwidth, export, delete. */
test("load balancer lifecycle", async ({ page }) => {
  const privateName = uniqueName("e2e-private");
  const publicName = uniqueName("e2e-public");

  // Create a private network load balancer with automatic IP allocation.
  const privateRow = await createLoadBalancerInConsole(page, { name: privateName, networkType: "Private network" });
  await expect(privateRow).toContainText("Private network");
  await expect(privateRow).toContainText(/127\.10\.\d+\.\d+/);
  await expect(privateRow).toContainText("Running");

  // Create a public network load balancer with a new EIP, bandwidth 10 Mbit/s.
  const publicRow = await createLoadBalancerInConsole(page, { name: publicName, networkType: "Public network", bandwidth: 10 });
  await expect(publicRow).toContainText("Public network");
  await expect(publicRow).toContainText("10 Mbit/s");
  const eipAddress = (await publicRow.getByRole("cell").nth(4).innerText()).trim();
  expect(eipAddress).toMatch(/^127\.20\.\d+\.\d+$/);

  // Modify Bandwidth: New Configuration → Next → Submit.
  await publicRow.getByRole("button", { name: "Modify Bandwidth" }).click();
  const modifyDialog = page.getByRole("dialog", { name: "Modify Bandwidth" });
  await modifyDialog.getByLabel("Bandwidth (Mbit/s)").fill("25");
  await modifyDialog.getByRole("button", { name: "Next" }).click();
  await modifyDialog.getByRole("button", { name: "Submit" }).click();
  await expect(publicRow).toContainText("25 Mbit/s");

  // Unbind the public LB's EIP (More → Unbind EIP → Yes); the EIP stays allocated and unbound.
  await publicRow.getByRole("button", { name: "More" }).click();
  await page.getByRole("menuitem", { name: "Unbind EIP" }).click();
  await page.getByRole("dialog", { name: "Unbind EIP" }).getByRole("button", { name: "Yes" }).click();
  await expect(publicRow).toContainText("Private network");

  // Bind that existing EIP to the private LB from the Operation column, then unbind it from the details page.
  await searchByName(page, privateName);
  await rowOf(page, privateName).getByRole("button", { name: "Bind EIP" }).click();
  const bindDialog = page.getByRole("dialog", { name: "Bind EIP" });
  await bindDialog.getByLabel(eipAddress).check();
  await bindDialog.getByRole("button", { name: "OK" }).click();
  await expect(rowOf(page, privateName)).toContainText(eipAddress);
  await expect(rowOf(page, privateName)).toContainText("Public network");
  await rowOf(page, privateName).getByRole("link", { name: privateName }).click();
  const basic = page.getByLabel("Basic Information", { exact: true });
  await expect(basic).toContainText(eipAddress);
  await basic.getByRole("button", { name: "Unbind" }).click();
  await page.getByRole("dialog", { name: "Unbind EIP" }).getByRole("button", { name: "Yes" }).click();
  await expect(basic.getByRole("button", { name: "Bind" })).toBeVisible();
  await expect(basic).toContainText("Private network");

  // Export the list (filter: "e2e-p" matches both) and read the real .xlsx.
  await page.goto("/load-balancers");
  await page.getByLabel("Search").fill("e2e-p");
  await expect(rowOf(page, privateName)).toBeVisible();
  await expect(rowOf(page, publicName)).toBeVisible();
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export", exact: true }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^load-balancers-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const [sheet] = (await readXlsxFile(await readFile((await download.path())!))) as unknown as { data: unknown[][] }[];
  const rows = sheet!.data;
  expect(rows[0]).toEqual(expect.arrayContaining(["Name", "ID", "Status", "Network Type", "Private IP Address", "EIP", "Bandwidth (Mbit/s)", "Listeners", "Tags", "Created"]));
  const names = rows.slice(1).map((r) => r[0]);
  expect(names).toEqual(expect.arrayContaining([privateName, publicName]));

  // Delete an empty load balancer: type its name, then Yes.
  await searchByName(page, publicName);
  await rowOf(page, publicName).getByRole("button", { name: "More" }).click();
  await page.getByRole("menuitem", { name: "Delete" }).click();
  const deleteDialog = page.getByRole("dialog", { name: "Delete Load Balancer" });
  await expect(deleteDialog.getByRole("button", { name: "Yes" })).toBeDisabled();
  await deleteDialog.getByLabel(/to confirm/).fill(publicName);
  await deleteDialog.getByRole("button", { name: "Yes" }).click();
  await expect(page.getByText("No load balancer matches the filter.")).toBeVisible();
});

test("create form rejects bad tags with the guide's rule, on client and server", async ({ page }) => {
  await page.goto("/load-balancers/create");
  await page.getByRole("button", { name: "Add Tag" }).click();
  await page.getByLabel("Tag key 1").fill("bad*key");
  await page.getByRole("button", { name: "Create Now" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Tag key: cannot contain asterisks" })).toBeVisible();
  await page.getByLabel("Tag key 1").fill("k".repeat(37));
  await page.getByRole("button", { name: "Create Now" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "maximum of 36 characters" })).toBeVisible();
  // The server enforces the same rule even when the browser is bypassed.
  const response = await page.request.post("/api/trpc/loadBalancer.create", {
    data: { json: { networkType: "private", vpcId: "x", subnetId: "y", name: "srv-check", tags: [{ key: "a=b", value: "" }] } },
  });
  expect(response.status()).toBe(400);
  expect(JSON.stringify(await response.json())).toContain("Tag key: cannot contain");
});
