import { expect, test } from "@playwright/test";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { NGINX, startNginx, type NginxPeer } from "../../engine/test-support/nginx";
import { createLoadBalancerInConsole, openAddBackendServersManually, uniqueName } from "../fixtures/load-balancers";
import { openAddListener, setSwitch } from "../fixtures/listener-dialog";
import { freeListenerPort } from "../fixtures/ports";

/**
 * Issue 10 end to end, through the browser: a TCP listener with Transfer Client IP Address on (the seed's
 * warnings visible beside the switch), its new backend server group set to Client IP Transport = PROXY
 * protocol v2 and TCP-health-checked, one backend server that is a real nginx on loopback
 * (`listen … proxy_protocol; set_real_ip_from 127.0.0.0/8; real_ip_header proxy_protocol;` answering
 * `$remote_addr`). A real HTTP request from a distinct 127.x address through the listener's private IP
 * must come back with that address: nginx read it from the PROXY v2 header the engine sent.
 */

/** Runs curl (bounded: --max-time and a process timeout) and returns its exit code and output, never throwing. */
function curl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("curl", ["--silent", "--show-error", "--max-time", "5", ...args], { timeout: 10_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === "number" ? (error as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** nginx behind the PROXY protocol on 127.0.0.1:port, answering the address it read from the header. */
const startNginxBehindProxyProtocol = (dir: string, port: number): Promise<NginxPeer> =>
  startNginx(
    dir,
    `set_real_ip_from 127.0.0.0/8;
    real_ip_header proxy_protocol;
    location / { default_type text/plain; return 200 $remote_addr; }`,
    { port, listenParameters: "proxy_protocol", startTimeoutMs: 10_000 },
  );

test.skip(!existsSync(NGINX), `nginx not installed at ${NGINX} (apt-get install nginx)`);

test("TCP listener with Transfer Client IP Address and PROXY protocol v2 to a real nginx: nginx answers with the client's own address", async ({ page }) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), "elb-e2e-client-ip-"));
  let nginx: NginxPeer | null = null;
  try {
    const nginxPort = await freeListenerPort();
    nginx = await startNginxBehindProxyProtocol(dir, nginxPort);

    const lbName = uniqueName("e2e-client-ip");
    const row = await createLoadBalancerInConsole(page, { name: lbName, networkType: "Private network" });
    await row.getByRole("link", { name: lbName }).click();
    await expect(page).toHaveURL(/\/load-balancers\/[^/?]+/);
    const ip = (await page.getByLabel("Basic Information", { exact: true }).innerText()).match(/127\.10\.\d+\.\d+/)![0];

    // Add Listener, TCP: Transfer Client IP Address on, its warnings beside it.
    const port = await freeListenerPort();
    const name = uniqueName("tcp-client-ip");
    const add = await openAddListener(page, { name, protocol: "TCP", port });
    const warnings = add.getByRole("note", { name: "Transfer Client IP Address warnings" });
    await expect(warnings).toBeHidden();
    await setSwitch(add, "Transfer Client IP Address", true);
    await expect(warnings).toBeVisible();
    await expect(warnings).toContainText("A backend server of this listener cannot also be its client");
    await expect(warnings).toContainText("return traffic is interrupted");
    // The new group is health-checked every 5 s (the default): the interruption is twice that.
    await expect(warnings).toContainText("Enabling or disabling it interrupts the traffic to this listener for about 10 seconds (twice the health check interval of 5 s)");
    await add.getByRole("button", { name: "Next" }).click();

    // Backend server group: Client IP Transport = PROXY protocol v2 (v1 is offered for TCP too).
    const transport = add.getByRole("radiogroup", { name: "Client IP Transport" });
    await expect(transport.getByRole("radio")).toHaveCount(3);
    await expect(transport.getByRole("radio", { name: /^Transparent/ })).toBeChecked();
    await expect(transport).toContainText("nginx listen … proxy_protocol");
    await transport.getByRole("radio", { name: /^PROXY protocol v2/ }).check();
    await add.getByRole("button", { name: "Next" }).click();
    // Health check: TCP (the engine's probes carry a PROXY v2 LOCAL header, so nginx accepts them).
    await expect(add.getByRole("switch", { name: "Enable Health Check" })).toBeChecked();
    await add.getByRole("button", { name: "Finish" }).click();
    await add.getByRole("button", { name: "OK" }).click();

    // The listener's page shows the setting and the group's transport.
    await page.getByRole("table", { name: "Listeners" }).getByRole("link", { name }).click();
    await expect(page).toHaveURL(/\/listeners\/[^/?]+/);
    const basic = page.getByLabel("Basic Information", { exact: true });
    await expect(basic.getByText("Transfer Client IP Address", { exact: true }).locator("..")).toContainText("Enabled (PROXY protocol v2)");

    // Modify Listener shows the warnings while the switch is on and while it is being switched off.
    await page.getByRole("button", { name: "Modify" }).click();
    const modify = page.getByRole("dialog", { name: "Modify Listener" });
    await expect(modify.getByRole("note", { name: "Transfer Client IP Address warnings" })).toBeVisible();
    await setSwitch(modify, "Transfer Client IP Address", false);
    await expect(modify.getByRole("note", { name: "Transfer Client IP Address warnings" })).toContainText("about 10 seconds");
    await modify.getByRole("button", { name: "Cancel" }).click();
    await expect(modify).toBeHidden();

    // The nginx backend server, then its health check passes with the probe header.
    await basic.getByRole("link").first().click();
    await expect(page).toHaveURL(/tab=backend-server-groups&pool=/);
    await expect(page.getByLabel("Backend Server Group Basic Information")).toContainText("PROXY protocol v2");
    const servers = await openAddBackendServersManually(page);
    await servers.getByLabel("IP Address").fill("127.0.0.1");
    await servers.getByLabel("Backend Port").fill(String(nginxPort));
    await servers.getByRole("button", { name: "Finish" }).click();
    await expect(page.getByRole("region", { name: "Backend Servers" }).getByRole("row").filter({ hasText: String(nginxPort) })).toContainText("Healthy", { timeout: 30_000 });

    // Real clients from their own 127.x: nginx answers with each one's address, read from the PROXY v2 header.
    for (const client of ["127.0.0.77", "127.0.0.78"]) {
      await expect
        .poll(async () => (await curl(["--interface", client, `http://${ip}:${port}/`])).stdout, { timeout: 20_000, message: `nginx's $remote_addr for a request from ${client}` })
        .toBe(client);
    }
  } finally {
    await nginx?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
