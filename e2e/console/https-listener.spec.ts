import { expect, test, type Locator, type Page } from "@playwright/test";
import { execFile } from "node:child_process";
import { createTestPki, type TestPki } from "../../engine/test-support/test-certificates";
import { startNamedBackend, type NamedBackend } from "../fixtures/backends";
import { createLoadBalancerInConsole, openAddBackendServersManually, uniqueName } from "../fixtures/load-balancers";
import { freeListenerPort } from "../fixtures/ports";

/**
 * Issue 9 end to end, through the browser only: server and CA certificates created by Upload (generated at
 * run time by the test PKI), an HTTPS listener with HTTP/2, Mutual Authentication and SNI, a forwarding
 * policy with a new backend server group, an HTTP listener redirected to the HTTPS one, and Access Control
 * on the redirected listener. Each is then checked with real curl requests against the load balancer's
 * private IP: h2 and HTTP/1.1 negotiated, the SNI certificate served for its domain and the default for
 * another, a client without a certificate refused in the handshake, the policy path reaching its group's
 * backend, 301 with the exact Location, and a source address outside the whitelist refused.
 */

interface CurlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs curl (bounded: --max-time and a process timeout) and returns its exit code and output, never throwing. */
function curl(args: string[]): Promise<CurlResult> {
  return new Promise((resolve) => {
    execFile("curl", ["--silent", "--show-error", "--max-time", "5", ...args], { timeout: 10_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === "number" ? ((error as { code: number }).code) : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Upload beside a PEM field: the button opens the file chooser, the file's text fills the field. */
async function upload(page: Page, dialog: Locator, label: "Certificate Content" | "Private Key", file: string, header: RegExp) {
  const chooser = page.waitForEvent("filechooser");
  await dialog.getByRole("button", { name: `Upload ${label}` }).click();
  await (await chooser).setFiles(file);
  await expect(dialog.getByRole("textbox", { name: label, exact: true })).toHaveValue(header);
}

/** Certificates → Create Certificate, with the content (and key) uploaded as files. */
async function createCertificate(page: Page, options: { name: string; type: "Server certificate" | "CA certificate"; certificate: string; key?: string; domainName?: string }) {
  await page.goto("/certificates");
  await page.getByRole("button", { name: "Create Certificate" }).click();
  const dialog = page.getByRole("dialog", { name: "Create Certificate" });
  await dialog.getByLabel("Certificate Name").fill(options.name);
  await dialog.getByRole("radiogroup", { name: "Certificate Type" }).getByText(options.type).click();
  await upload(page, dialog, "Certificate Content", options.certificate, /^-----BEGIN CERTIFICATE-----/);
  if (options.key) await upload(page, dialog, "Private Key", options.key, /^-----BEGIN PRIVATE KEY-----/);
  if (options.domainName) await dialog.getByLabel("Domain Name").fill(options.domainName);
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("table", { name: "Certificates" })).toContainText(options.name);
}

/** Adds one backend server 127.0.0.1:port to the group the Backend Server Groups tab shows. */
async function addBackendServer(page: Page, port: number) {
  const dialog = await openAddBackendServersManually(page);
  await dialog.getByLabel("IP Address").fill("127.0.0.1");
  await dialog.getByLabel("Backend Port").fill(String(port));
  await dialog.getByRole("button", { name: "Finish" }).click();
  await expect(page.getByRole("region", { name: "Backend Servers" }).getByRole("row").filter({ hasText: `${port}` })).toContainText("Health check disabled");
}

/**
 * Sets a switch by clicking its visible label (the checkbox itself is visually hidden, and a hidden
 * element further down a scrolled dialog cannot be clicked).
 */
async function setSwitch(scope: Locator, name: string, on: boolean) {
  const control = scope.getByRole("switch", { name, exact: true });
  const label = scope.locator("label", { has: scope.page().getByRole("switch", { name, exact: true }) });
  if ((await control.isChecked()) !== on) await label.click();
  await (on ? expect(control).toBeChecked() : expect(control).not.toBeChecked());
}

/** Turns Enable Health Check off in a dialog that shows the health check fields. */
const healthCheckOff = (dialog: Locator) => setSwitch(dialog, "Enable Health Check", false);

test("HTTPS listener with HTTP/2, mutual authentication, SNI, a forwarding policy, a redirect and access control, configured in the console, serves real clients", async ({ page }) => {
  test.setTimeout(240_000);
  let pki: TestPki | null = null;
  const backends: NamedBackend[] = [];
  try {
    pki = await createTestPki();
    const serverCert = await pki.server({ commonName: "www.example.test" });
    const sniCert = await pki.server({ commonName: "a.example.test" });
    const client = await pki.client({ commonName: "e2e-client" });
    const [main, policy, plain] = await Promise.all(["https-default", "https-policy", "http-own"].map((name) => startNamedBackend(name)));
    backends.push(main!, policy!, plain!);
    const suffix = uniqueName("c");

    // Certificates: a server certificate (default), one with a domain name for SNI, and the CA of the client certificate.
    const names = { server: `srv-${suffix}`, sni: `sni-${suffix}`, ca: `ca-${suffix}` };
    await createCertificate(page, { name: names.server, type: "Server certificate", certificate: serverCert.certPath, key: serverCert.keyPath });
    await createCertificate(page, { name: names.sni, type: "Server certificate", certificate: sniCert.certPath, key: sniCert.keyPath, domainName: "a.example.test" });
    await createCertificate(page, { name: names.ca, type: "CA certificate", certificate: pki.root.certPath });

    const lbName = uniqueName("e2e-https");
    const row = await createLoadBalancerInConsole(page, { name: lbName, networkType: "Private network" });
    await row.getByRole("link", { name: lbName }).click();
    await expect(page).toHaveURL(/\/load-balancers\/[^/?]+/);
    const lbUrl = page.url().split("?")[0]!;
    const ip = (await page.getByLabel("Basic Information", { exact: true }).innerText()).match(/127\.10\.\d+\.\d+/)![0];

    // Add Listener: HTTPS with the server certificate, Advanced Settings → HTTP/2 and Mutual Authentication with the CA.
    const httpsPort = await freeListenerPort();
    const httpsName = `https-${suffix}`;
    await page.getByRole("button", { name: "Add Listener" }).click();
    let add = page.getByRole("dialog", { name: "Add Listener" });
    await add.getByLabel("Name", { exact: true }).fill(httpsName);
    await add.getByLabel("Frontend Protocol").selectOption("HTTPS");
    await add.getByLabel("Frontend Port").fill(String(httpsPort));
    await add.getByRole("button", { name: "Next" }).click();
    await expect(add.getByLabel("Server Certificate")).toBeVisible();
    await expect(add.getByRole("alert")).toContainText("Server Certificate:");
    await add.getByLabel("Server Certificate").selectOption({ label: names.server });
    await add.getByRole("button", { name: "Advanced Settings" }).click();
    await setSwitch(add, "HTTP/2", true);
    await setSwitch(add, "Mutual Authentication", true);
    await add.getByLabel("CA Certificate").selectOption({ label: names.ca });
    await add.getByRole("button", { name: "Next" }).click();
    await expect(add.getByLabel("Backend Protocol")).toHaveValue("HTTP");
    await add.getByRole("button", { name: "Next" }).click();
    await healthCheckOff(add);
    await add.getByRole("button", { name: "Finish" }).click();
    await add.getByRole("button", { name: "OK" }).click();

    // The listener's page, by its name in the list; deep-linkable by URL.
    await page.getByRole("table", { name: "Listeners" }).getByRole("link", { name: httpsName }).click();
    await expect(page).toHaveURL(/\/load-balancers\/[^/]+\/listeners\/[^/?]+/);
    const httpsPage = page.url().split("?")[0]!;
    await page.goto(httpsPage);
    const basic = page.getByLabel("Basic Information", { exact: true });
    await expect(basic).toContainText(`HTTPS/${httpsPort}`);
    await expect(basic).toContainText(names.server);
    await expect(basic).toContainText(names.ca);
    await expect(basic.getByText("Access Control", { exact: true }).locator("..")).toContainText("Disabled");

    // SNI: Configure → enable, choose the certificate of a.example.test.
    await basic.getByRole("button", { name: "Configure SNI" }).click();
    const sni = page.getByRole("dialog", { name: "Configure SNI" });
    await setSwitch(sni, "SNI", true);
    await sni.getByRole("checkbox", { name: `${names.sni} (a.example.test)` }).check();
    await sni.getByRole("button", { name: "OK" }).click();
    await expect(sni).toBeHidden();
    await expect(basic).toContainText("Enabled (1 certificate)");

    // Forwarding Policies → Add: prefix /policy to a new backend server group.
    await page.getByRole("tab", { name: "Forwarding Policies" }).click();
    await page.getByRole("button", { name: "Add", exact: true }).click();
    const addPolicy = page.getByRole("dialog", { name: "Add Forwarding Policy" });
    const policyGroup = `policy_group-${suffix}`;
    await addPolicy.getByRole("textbox", { name: "URL", exact: true }).fill("/policy");
    await addPolicy.getByLabel("URL Matching Rule").selectOption({ label: "Prefix match" });
    await addPolicy.getByRole("radiogroup", { name: "Backend Server Group" }).getByText("Create new").click();
    await addPolicy.getByRole("textbox", { name: "Name", exact: true }).nth(1).fill(policyGroup);
    await healthCheckOff(addPolicy);
    await addPolicy.getByRole("button", { name: "OK" }).click();
    await expect(addPolicy).toBeHidden();
    const policyRow = page.getByRole("table", { name: "Forwarding Policies" }).getByRole("row").filter({ hasText: "/policy" });
    await expect(policyRow).toContainText("Prefix match");
    await expect(policyRow).toContainText(policyGroup);

    // Backend servers: the policy's group and the listener's own group.
    await policyRow.getByRole("link", { name: policyGroup }).click();
    await addBackendServer(page, policy!.port);
    await page.goto(httpsPage);
    await basic.getByRole("link").first().click();
    await expect(page).toHaveURL(/tab=backend-server-groups&pool=/);
    await addBackendServer(page, main!.port);

    // An HTTP listener with its own backend, then Redirects → Create to the HTTPS listener.
    await page.goto(`${lbUrl}?tab=listeners`);
    const httpPort = await freeListenerPort();
    const httpName = `http-${suffix}`;
    await page.getByRole("button", { name: "Add Listener" }).click();
    add = page.getByRole("dialog", { name: "Add Listener" });
    await add.getByLabel("Name", { exact: true }).fill(httpName);
    await add.getByLabel("Frontend Protocol").selectOption("HTTP");
    await add.getByLabel("Frontend Port").fill(String(httpPort));
    await add.getByRole("button", { name: "Next" }).click();
    await add.getByRole("button", { name: "Next" }).click();
    await healthCheckOff(add);
    await add.getByRole("button", { name: "Finish" }).click();
    await add.getByRole("button", { name: "OK" }).click();
    await page.getByRole("table", { name: "Listeners" }).getByRole("link", { name: httpName }).click();
    await basic.getByRole("link").first().click();
    await addBackendServer(page, plain!.port);
    const httpUrl = `http://${ip}:${httpPort}`;
    await expect.poll(async () => (await curl([`${httpUrl}/`])).stdout, { timeout: 15_000 }).toBe("http-own");

    await page.goto(`${lbUrl}?tab=listeners`);
    await page.getByRole("table", { name: "Listeners" }).getByRole("link", { name: httpName }).click();
    await page.getByRole("tab", { name: "Redirects" }).click();
    await page.getByRole("button", { name: "Create", exact: true }).click();
    const redirect = page.getByRole("dialog", { name: "Create Redirect" });
    await redirect.getByLabel("Redirected To").selectOption({ label: `${httpsName} (HTTPS/${httpsPort})` });
    await redirect.getByRole("button", { name: "OK" }).click();
    await expect(redirect).toBeHidden();
    await expect(page.getByRole("table", { name: "Redirects" })).toContainText(`${httpsName} (HTTPS/${httpsPort})`);
    await expect(page.getByRole("button", { name: "Create", exact: true })).toBeDisabled();
    await expect(page.getByRole("status").filter({ hasText: "redirected to HTTPS listener" })).toContainText("inactive, except access control");

    // Access Control on the redirected listener: only 127.0.0.1; an IPv6 entry is refused beside the field.
    await basic.getByRole("button", { name: "Configure Access Control" }).click();
    const access = page.getByRole("dialog", { name: "Configure Access Control" });
    await expect(access.getByRole("note", { name: "Notice" })).toContainText("If access control is enabled but no whitelist is added, the listener cannot be accessed.");
    await access.getByRole("radiogroup", { name: "Access Control" }).getByText("Enabled").click();
    await access.getByLabel("Whitelist").fill("127.0.0.1,::1");
    await access.getByRole("button", { name: "OK" }).click();
    await expect(access.getByRole("alert")).toContainText("::1 is an IPv6 address");
    await access.getByLabel("Whitelist").fill("127.0.0.1");
    await access.getByRole("button", { name: "OK" }).click();
    await expect(access).toBeHidden();
    await expect(basic).toContainText("Enabled (1 entry)");

    // Real requests. HTTPS with the client certificate: h2 when asked, HTTP/1.1 when asked, the listener's group at /.
    const httpsUrl = `https://${ip}:${httpsPort}`;
    const withClient = ["--insecure", "--cert", client.certPath, "--key", client.keyPath];
    await expect.poll(async () => (await curl([...withClient, "--http2", "--write-out", " %{http_version}", `${httpsUrl}/`])).stdout, { timeout: 20_000 }).toBe("https-default 2");
    expect((await curl([...withClient, "--http1.1", "--write-out", " %{http_version}", `${httpsUrl}/`])).stdout).toBe("https-default 1.1");

    // Forwarding policy: /policy… reaches the policy group's backend; anything else the default group.
    await expect.poll(async () => (await curl([...withClient, `${httpsUrl}/policy/a.html`])).stdout, { timeout: 15_000 }).toBe("https-policy");
    expect((await curl([...withClient, `${httpsUrl}/other`])).stdout).toBe("https-default");

    // Mutual authentication: without a client certificate the TLS handshake fails (no HTTP answer at all).
    const refused = await curl(["--insecure", "--write-out", "%{http_code}", `${httpsUrl}/`]);
    expect(refused.code, refused.stderr).not.toBe(0);
    expect(refused.stdout).toBe("000");

    // SNI: a.example.test gets its own certificate (curl verifies the name against our CA), other names the default one.
    const verified = (host: string) => [
      "--cacert", pki!.root.certPath, "--cert", client.certPath, "--key", client.keyPath, "--resolve", `${host}:${httpsPort}:${ip}`, `https://${host}:${httpsPort}/`,
    ];
    expect(await curl(verified("a.example.test"))).toMatchObject({ code: 0, stdout: "https-default" });
    expect(await curl(verified("www.example.test"))).toMatchObject({ code: 0, stdout: "https-default" });
    const wrongName = await curl(verified("b.example.test"));
    expect(wrongName.stderr).toMatch(/b\.example\.test|subject name|certificate/i);
    expect(wrongName.code).toBe(60);

    // Redirect: 301 with Location https://<host>:<https port><path>?<query>, from an address in the whitelist.
    await expect
      .poll(async () => (await curl(["--include", `${httpUrl}/some/path?q=1&r=2`])).stdout.split("\r\n")[0], { timeout: 15_000 })
      .toMatch(/^HTTP\/1\.1 301/);
    const moved = await curl(["--include", `${httpUrl}/some/path?q=1&r=2`]);
    expect(moved.stdout).toMatch(new RegExp(`\\r\\nlocation: https://${ip.replace(/\./g, "\\.")}:${httpsPort}/some/path\\?q=1&r=2\\r\\n`, "i"));

    // Access control: a source address outside the whitelist gets no answer; 127.0.0.1 still gets its 301.
    const outside = await curl(["--interface", "127.0.0.3", "--write-out", "%{http_code}", `${httpUrl}/`]);
    expect(outside.code, outside.stderr).not.toBe(0);
    expect(outside.stdout).toBe("000");
    expect((await curl(["--write-out", "%{http_code}", "--output", "/dev/null", `${httpUrl}/`])).stdout).toBe("301");
  } finally {
    await Promise.all(backends.map((b) => b.close().catch(() => undefined)));
    await pki?.cleanup();
  }
});
