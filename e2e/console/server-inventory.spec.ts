import { expect, test, type Page } from "@playwright/test";
import { createLoadBalancerInConsole, uniqueName } from "../fixtures/load-balancers";

/**
 * Guide 4.3 steps 6–7 with the server inventory: Settings → Networks → Servers gets two servers in
 * subnet-default; Add Backend Servers → select the subnet → tick both → Next → Batch Add Port → Finish.
 * Only the console flow is checked: nothing listens on these addresses.
 */
const inventory = [
  { name: uniqueName("inv-a"), address: "127.10.200.1" },
  { name: uniqueName("inv-b"), address: "127.10.200.2" },
];

/** The Servers section of Settings → Networks. */
async function openServers(page: Page) {
  await page.goto("/settings?tab=networks");
  return page.getByRole("region", { name: "Servers" });
}

/** Deletes the spec's servers, so other specs see an empty inventory (their dialogs start with the rows). */
async function deleteInventory(page: Page) {
  const section = await openServers(page);
  // Wait for the list itself: counting rows while it still says "Loading…" would skip the delete.
  await expect(section.getByRole("table", { name: "Servers" })).not.toContainText("Loading…");
  for (const server of inventory) {
    const row = section.getByRole("row").filter({ hasText: server.name });
    if ((await row.count()) === 0) continue;
    await section.getByRole("button", { name: `Delete server ${server.name}` }).click();
    await page.getByRole("dialog", { name: "Delete Server" }).getByRole("button", { name: "Delete" }).click();
    await expect(row).toHaveCount(0);
  }
}

test("Add Backend Servers picks servers of a subnet from the inventory", async ({ page }) => {
  test.setTimeout(90_000);
  try {
    // Settings → Networks → Servers: Add Server twice in subnet-default; an address outside it is refused.
    const section = await openServers(page);
    for (const server of inventory) {
      await section.getByRole("button", { name: "Add Server" }).click();
      const dialog = page.getByRole("dialog", { name: "Add Server" });
      await dialog.getByLabel("Subnet").selectOption({ label: "subnet-default (127.10.0.0/16, vpc-default)" });
      await dialog.getByLabel("Name").fill(server.name);
      await dialog.getByLabel("IP Address").fill(server.address === "127.10.200.1" ? "127.0.0.1" : server.address);
      await dialog.getByRole("button", { name: "OK" }).click();
      if (server.address === "127.10.200.1") {
        await expect(dialog.getByRole("alert")).toContainText("must be a host address of subnet subnet-default (127.10.0.0/16)");
        await dialog.getByLabel("IP Address").fill(server.address);
        await dialog.getByRole("button", { name: "OK" }).click();
      }
      await expect(dialog).toBeHidden();
      await expect(section.getByRole("row").filter({ hasText: server.name })).toContainText(server.address);
    }

    // A load balancer in vpc-default with a backend server group.
    const lbName = uniqueName("e2e-inventory");
    const row = await createLoadBalancerInConsole(page, { name: lbName, networkType: "Private network" });
    await row.getByRole("link", { name: lbName }).click();
    await page.getByRole("tab", { name: "Backend Server Groups" }).click();
    await page.getByRole("button", { name: "Add Backend Server Group" }).click();
    const addGroup = page.getByRole("dialog", { name: "Add Backend Server Group" });
    await addGroup.getByRole("textbox", { name: "Name", exact: true }).fill("group-inventory");
    await addGroup.getByLabel("Backend Protocol").selectOption("HTTP");
    await addGroup.getByRole("button", { name: "OK" }).click();
    await expect(page.getByRole("table", { name: "Backend Server Groups" })).toContainText("group-inventory");

    // Add → Subnet → tick both → Next → Batch Add Port 8080 → OK → Finish.
    const servers = page.getByRole("region", { name: "Backend Servers" });
    await servers.getByRole("button", { name: "Add", exact: true }).click();
    const add = page.getByRole("dialog", { name: "Add Backend Servers" });
    await add.getByLabel("Subnet").selectOption({ label: "subnet-default (127.10.0.0/16)" });
    const picker = add.getByRole("table", { name: "Servers" });
    for (const server of inventory) await picker.getByRole("row").filter({ hasText: server.name }).getByRole("checkbox").check();
    await add.getByRole("button", { name: "Next" }).click();
    await expect(add.getByLabel("Name", { exact: true })).toHaveCount(2);
    await expect(add.getByLabel("IP Address").nth(0)).toHaveValue(inventory[0]!.address);
    await expect(add.getByLabel("IP Address").nth(1)).toHaveValue(inventory[1]!.address);
    await add.getByLabel("Batch Add Port").fill("8080");
    await add.getByRole("button", { name: "OK" }).click();
    await expect(add.getByLabel("Backend Port").nth(1)).toHaveValue("8080");
    await add.getByRole("button", { name: "Finish" }).click();
    await expect(add).toBeHidden();

    const list = servers.getByRole("table", { name: "Backend servers of group-inventory" });
    for (const server of inventory) {
      const member = list.getByRole("row").filter({ hasText: server.name });
      await expect(member).toContainText(server.address);
      await expect(member.getByRole("cell").nth(3)).toHaveText("8080");
    }
  } finally {
    await deleteInventory(page);
  }
});
