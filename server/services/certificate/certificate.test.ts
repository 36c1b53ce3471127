import { createPrivateKey, randomBytes, X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { desc, eq } from "drizzle-orm";
import { certificates, listenerSniCertificates, listeners, loadBalancers, traces } from "@/db/schema";
import { openSecret } from "@/engine/protocol/sealed-secret";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { observeTransactions } from "../observe-transactions";
import { createRegion } from "../region/create-region";
import { createCaller } from "../../trpc/root";
import { createCertificate } from "./create-certificate";
import { updateCertificate } from "./update-certificate";
import { deleteCertificate } from "./delete-certificate";
import { listCertificates } from "./list-certificates";
import { getCertificate } from "./get-certificate";
import { createCertificateFactory, type CertificateFactory, type GeneratedCertificate } from "./test-support";

/** Certificates through the services and the router on a real database: storage, rules, usage, traces. */
const SECRET_KEY = randomBytes(32);
let bed: ServiceTestBed;
let pki: CertificateFactory;
let web: GeneratedCertificate; // RSA, www.example.test + example.test, signed by the intermediate
let renewed: GeneratedCertificate; // web's key, a new certificate
let api: GeneratedCertificate; // EC, api.example.test
let soon: GeneratedCertificate; // expires in 10 days

beforeAll(async () => {
  vi.stubEnv("ELB_SECRET_KEY", SECRET_KEY.toString("hex"));
  bed = await createServiceTestBed();
  pki = await createCertificateFactory();
  web = await pki.issue({ commonName: "www.example.test", sans: ["www.example.test", "example.test"], keyType: "rsa", issuer: "intermediate" });
  renewed = await pki.issue({ commonName: "www.example.test", sans: ["www.example.test", "example.test", "static.example.test"], issuer: "intermediate", keyFrom: web });
  api = await pki.issue({ commonName: "api.example.test" });
  soon = await pki.issue({ commonName: "soon.example.test", notAfter: new Date(Date.now() + 10 * 24 * 3600 * 1000 - 3600 * 1000) });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await bed?.close();
  await pki?.cleanup();
});

const allRows = () => bed.ctx.db.select().from(certificates).orderBy(certificates.id);
const rowOf = async (id: string) => (await bed.ctx.db.select().from(certificates).where(eq(certificates.id, id)))[0]!;
/** The base64 rows of a PEM key: what must never leave the server (any of them). */
const keyRows = (pem: string) => pem.split("\n").filter((row) => row && !row.startsWith("-----"));
const serverInput = (extra: Record<string, unknown> = {}) => ({
  name: "web-cert",
  type: "SERVER" as const,
  content: web.certPem + pki.intermediate.certPem,
  privateKey: web.traditionalKeyPem,
  domainName: "www.example.test",
  description: "the shop",
  ...(extra as object),
});
const ids = {} as { web: string; ca: string; api: string; lb: string };

describe("create and list certificates", () => {
  it("creates a server certificate: facts from the leaf, key sealed with AES-256-GCM under the secret key, never in the view", async () => {
    const view = await createCertificate(bed.ctx, serverInput());
    ids.web = view.id;
    expect(view).toMatchObject({
      name: "web-cert",
      type: "SERVER",
      domainName: "www.example.test",
      subject: "CN=www.example.test",
      issuer: "CN=ELB Test Intermediate CA",
      subjectAltNames: ["www.example.test", "example.test"],
      expiry: "valid",
      description: "the shop",
      listeners: [],
    });
    expect(view.notAfter).toEqual(new Date(new X509Certificate(web.certPem).validTo));
    expect(JSON.stringify(view)).not.toMatch(/PRIVATE KEY|privateKey|v1\./);
    const row = await rowOf(view.id);
    expect(row.certificatePem).toBe(web.certPem + pki.intermediate.certPem);
    expect(row.privateKeySealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    for (const line of keyRows(web.traditionalKeyPem).concat(keyRows(web.keyPem))) expect(row.privateKeySealed).not.toContain(line);
    const opened = openSecret(row.privateKeySealed!, SECRET_KEY);
    expect(opened).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(new X509Certificate(web.certPem).checkPrivateKey(createPrivateKey(opened))).toBe(true);
    expect(() => openSecret(row.privateKeySealed!, randomBytes(32))).toThrow();
    expect(row.fingerprint256).toBe(new X509Certificate(web.certPem).fingerprint256);
  });

  it("creates a CA certificate without key and lists by name, filtered by type, with expiry status", async () => {
    ids.ca = (await createCertificate(bed.ctx, { name: "client-ca", type: "CA", content: pki.root.certPem, privateKey: "" })).id;
    ids.api = (await createCertificate(bed.ctx, { name: "api-cert", type: "SERVER", content: api.certPem, privateKey: api.keyPem })).id;
    const expiring = await createCertificate(bed.ctx, { name: "soon-cert", type: "SERVER", content: soon.certPem, privateKey: soon.keyPem });
    expect((await rowOf(ids.ca)).privateKeySealed).toBeNull();
    expect((await listCertificates(bed.ctx, {})).map((c) => c.name)).toEqual(["api-cert", "client-ca", "soon-cert", "web-cert"]);
    expect((await listCertificates(bed.ctx, { type: "CA" })).map((c) => [c.name, c.type, c.domainName])).toEqual([["client-ca", "CA", null]]);
    expect(expiring).toMatchObject({ expiry: "expiring", daysLeft: 10 });
    const in95Days = new Date(Date.now() + 95 * 24 * 3600 * 1000);
    expect((await listCertificates(bed.ctx, {}, in95Days)).map((c) => c.expiry)).toEqual(["expired", "expired", "expired", "expired"]);
    const details = await getCertificate(bed.ctx, { id: ids.web });
    expect(details.certificatePem).toBe(web.certPem + pki.intermediate.certPem);
    expect(JSON.stringify(details)).not.toMatch(/PRIVATE KEY|v1\./);
    await deleteCertificate(bed.ctx, { id: expiring.id });
  });

  it("refuses bad input naming the field, and writes nothing", async () => {
    const create = (extra: Record<string, unknown>) => () => createCertificate(bed.ctx, serverInput(extra));
    await expectAppError(create({ name: "" }), { code: "BAD_REQUEST", field: "name", message: /^Certificate Name: enter 1 to 64 characters/ }, allRows);
    await expectAppError(create({ name: "bad name" }), { field: "name", message: /only letters, digits/ }, allRows);
    await expectAppError(create({ type: "CLIENT" }), { field: "type", message: /Certificate Type: select Server certificate or CA certificate/ }, allRows);
    await expectAppError(create({ content: "" }), { field: "content", message: /Certificate Content: paste the certificate/ }, allRows);
    await expectAppError(create({ content: "x".repeat(70_000) }), { field: "content", message: /at most 65536 characters/ }, allRows);
    await expectAppError(create({ content: web.der.toString("utf8") }), { field: "content", message: /openssl x509 -inform der/ }, allRows);
    await expectAppError(create({ privateKey: await pki.encryptedKey(web, "pkcs8") }), { field: "privateKey", message: /^Private Key: is encrypted/ }, allRows);
    await expectAppError(create({ privateKey: api.keyPem }), { field: "privateKey", message: /^Private Key: does not match/ }, allRows);
    await expectAppError(create({ privateKey: undefined }), { field: "privateKey", message: /needs its private key/ }, allRows);
    await expectAppError(create({ domainName: "shop.example.test" }), { field: "domainName", message: /shop\.example\.test is not a domain name of the certificate/ }, allRows);
    await expectAppError(create({ domainName: "bad_domain" }), { field: "domainName", message: /^Domain Name: enter one domain name/ }, allRows);
    await expectAppError(create({ description: "<b>" }), { field: "description", message: /angle brackets/ }, allRows);
  });

  it("is scoped to the region and project: another scope sees, changes and deletes none", async () => {
    const region = await createRegion(bed.ctx, { code: "certs-2", name: "Certificates 2" });
    const elsewhere = { ...bed.ctx, scope: { ...bed.ctx.scope, regionId: region.id } };
    expect(await listCertificates(elsewhere, {})).toEqual([]);
    await expectAppError(() => getCertificate(elsewhere, { id: ids.web }), { code: "NOT_FOUND", field: "id", message: /Certificate: not found/ }, allRows);
    await expectAppError(() => updateCertificate(elsewhere, { id: ids.web, name: "x" }), { code: "NOT_FOUND", field: "id", message: /not found/ }, allRows);
    await expectAppError(() => deleteCertificate(elsewhere, { id: ids.web }), { code: "NOT_FOUND", field: "id", message: /not found/ }, allRows);
  });
});

describe("modify certificates", () => {
  it("renames and renews with the stored key (one commit, then the change signal); a key of another certificate is refused", async () => {
    const before = await rowOf(ids.web);
    const { ctx, events } = observeTransactions(bed.ctx);
    const view = await updateCertificate(ctx, { id: ids.web, name: "web-cert-2", content: renewed.certPem + pki.intermediate.certPem });
    expect(events).toEqual(["commit", "changed"]);
    expect(view).toMatchObject({ name: "web-cert-2", description: "the shop", domainName: "www.example.test", subjectAltNames: ["www.example.test", "example.test", "static.example.test"] });
    const after = await rowOf(ids.web);
    expect(after.certificatePem).toBe(renewed.certPem + pki.intermediate.certPem);
    expect(after.fingerprint256).toBe(new X509Certificate(renewed.certPem).fingerprint256);
    expect(after.privateKeySealed).toBe(before.privateKeySealed);
    await expectAppError(
      () => updateCertificate(bed.ctx, { id: ids.web, content: api.certPem }),
      { code: "BAD_REQUEST", field: "privateKey", message: /^Private Key: the current private key does not match the new Certificate Content/ },
      allRows,
    );
    // A key sealed under another secret key (the key file was lost): the user is told to give the key again.
    vi.stubEnv("ELB_SECRET_KEY", randomBytes(32).toString("hex"));
    try {
      await expectAppError(() => updateCertificate(bed.ctx, { id: ids.web, domainName: "example.test" }), { code: "PRECONDITION_FAILED", field: "privateKey", message: /cannot be opened with this console's secret key/ }, allRows);
    } finally {
      vi.stubEnv("ELB_SECRET_KEY", SECRET_KEY.toString("hex"));
    }
  });

  it("replaces content and key together (re-sealed), checks the kept domain against the new content, and keeps the type", async () => {
    await expectAppError(() => updateCertificate(bed.ctx, { id: ids.web, content: api.certPem, privateKey: api.keyPem }), { field: "domainName", message: /www\.example\.test is not a domain name/ }, allRows);
    const view = await updateCertificate(bed.ctx, { id: ids.web, content: api.certPem, privateKey: api.traditionalKeyPem, domainName: "api.example.test", description: "" });
    expect(view).toMatchObject({ subject: "CN=api.example.test", domainName: "api.example.test", description: "" });
    const row = await rowOf(ids.web);
    expect(new X509Certificate(api.certPem).checkPrivateKey(createPrivateKey(openSecret(row.privateKeySealed!, SECRET_KEY)))).toBe(true);
    await expectAppError(() => updateCertificate(bed.ctx, { id: ids.ca, privateKey: api.keyPem }), { field: "privateKey", message: /a CA certificate has no private key/ }, allRows);
    await expectAppError(() => updateCertificate(bed.ctx, { id: ids.ca, domainName: "ca.example.test" }), { field: "domainName", message: /only a server certificate/ }, allRows);
    await expectAppError(() => updateCertificate(bed.ctx, { id: ids.ca, content: api.certPem }), { field: "content", message: /is not a CA certificate/ }, allRows);
    expect(await updateCertificate(bed.ctx, { id: ids.web, content: web.certPem + pki.intermediate.certPem, privateKey: web.keyPem, domainName: "www.example.test" })).toMatchObject({
      subject: "CN=www.example.test",
    });
  });
});

describe("certificates in use", () => {
  it("lists the listeners using a certificate; delete is refused naming them; the SNI domain stays", async () => {
    const [lb] = await bed.ctx.db
      .insert(loadBalancers)
      .values({ name: "lb-https", regionId: bed.ctx.scope.regionId, projectId: bed.ctx.scope.projectId, vpcId: bed.vpcId, subnetId: bed.subnetId, privateIp: "127.10.0.90" })
      .returning();
    ids.lb = lb!.id;
    const https = (name: string, port: number, extra: Partial<typeof listeners.$inferInsert>) =>
      bed.ctx.db.insert(listeners).values({ loadBalancerId: lb!.id, name, protocol: "HTTPS", port, portClass: "STREAM", ...extra }).returning();
    const [shop] = await https("shop-https", 443, { serverCertificateId: ids.web, caCertificateId: ids.ca });
    const [api2] = await https("api-https", 8443, { serverCertificateId: ids.api, sniEnabled: true });
    await bed.ctx.db.insert(listenerSniCertificates).values({ listenerId: api2!.id, certificateId: ids.web });

    const byName = Object.fromEntries((await listCertificates(bed.ctx, {})).map((c) => [c.name, c.listeners.map((l) => [l.name, l.usage, l.loadBalancerName])]));
    expect(byName).toEqual({
      "api-cert": [["api-https", "server", "lb-https"]],
      "client-ca": [["shop-https", "ca", "lb-https"]],
      "web-cert-2": [["api-https", "sni", "lb-https"], ["shop-https", "server", "lb-https"]],
    });
    await expectAppError(
      () => deleteCertificate(bed.ctx, { id: ids.web }),
      {
        code: "PRECONDITION_FAILED",
        message: /^Certificate web-cert-2 cannot be deleted: it is used by listener api-https \(load balancer lb-https, SNI certificate\), listener shop-https \(load balancer lb-https, Server Certificate\)\./,
      },
      allRows,
    );
    await expectAppError(() => deleteCertificate(bed.ctx, { id: ids.ca }), { code: "PRECONDITION_FAILED", message: /listener shop-https \(load balancer lb-https, CA Certificate\)/ }, allRows);
    await expectAppError(() => deleteCertificate(bed.ctx, { id: ids.api }), { code: "PRECONDITION_FAILED", message: /listener api-https \(load balancer lb-https, Server Certificate\)/ }, allRows);
    await expectAppError(() => updateCertificate(bed.ctx, { id: ids.web, domainName: "" }), { field: "domainName", message: /is an SNI certificate of listener api-https/ }, allRows);
    // Modify must not give two SNI certificates of one listener the same domain (Configure SNI refuses that too).
    const staticId = (await createCertificate(bed.ctx, { name: "static-cert", type: "SERVER", content: renewed.certPem, privateKey: web.keyPem, domainName: "static.example.test" })).id;
    await bed.ctx.db.insert(listenerSniCertificates).values({ listenerId: api2!.id, certificateId: staticId });
    await expectAppError(
      () => updateCertificate(bed.ctx, { id: staticId, domainName: "www.example.test" }),
      { field: "domainName", message: /^Domain Name: www\.example\.test is already served by SNI certificate web-cert-2 of listener api-https/ },
      allRows,
    );
    expect(await updateCertificate(bed.ctx, { id: staticId, domainName: "example.test" })).toMatchObject({ domainName: "example.test" });

    // Once no listener uses it, it can go.
    await bed.ctx.db.delete(listenerSniCertificates).where(eq(listenerSniCertificates.listenerId, api2!.id));
    await bed.ctx.db.update(listeners).set({ caCertificateId: null }).where(eq(listeners.id, shop!.id));
    expect(await deleteCertificate(bed.ctx, { id: ids.ca })).toEqual({ id: ids.ca, name: "client-ca" });
    await expectAppError(() => deleteCertificate(bed.ctx, { id: ids.web }), { code: "PRECONDITION_FAILED", message: /used by listener shop-https \(load balancer lb-https, Server Certificate\)\./ }, allRows);
  });
});

describe("through the router: traces, and the private key in no response and no trace", () => {
  it("traces create/update/delete certificate; neither responses nor trace rows hold any row of a private key", async () => {
    const admin = createCaller({ ...bed.ctx, user: bed.ctx.user, sourceIp: "192.0.2.10" });
    const responses: unknown[] = [];
    const lastTrace = async () => (await bed.ctx.db.select().from(traces).orderBy(desc(traces.time)).limit(1))[0]!;
    const created = await admin.certificate.create(serverInput({ name: "traced", domainName: null, description: "traced" }));
    responses.push(created);
    expect(await lastTrace()).toMatchObject({ traceName: "create certificate", resourceType: "certificate", resourceId: created.id, resourceName: "traced", code: "200" });
    expect((await lastTrace()).request).toMatchObject({ name: "traced", type: "SERVER", privateKey: "******" });
    responses.push(await admin.certificate.update({ id: created.id, privateKey: web.keyPem, description: "new key" }));
    expect(await lastTrace()).toMatchObject({ traceName: "update certificate", resourceName: "traced", code: "200" });
    // Refused calls: a wrong key (service), a key pasted into the content (service), a bad name (input schema).
    await expect(admin.certificate.update({ id: created.id, privateKey: api.keyPem })).rejects.toThrow(/does not match/);
    expect(await lastTrace()).toMatchObject({ traceName: "update certificate", resourceName: "traced", code: "400" });
    await expect(admin.certificate.create(serverInput({ name: "pasted", content: web.keyPem + web.certPem }))).rejects.toThrow(/^Certificate Content: block 1 \(row 1\) is a private key/);
    await expect(admin.certificate.create(serverInput({ name: "bad name", privateKey: api.keyPem }))).rejects.toThrow(/Certificate Name/);
    expect(await lastTrace()).toMatchObject({ traceName: "create certificate", code: "400" });
    responses.push(await admin.certificate.list(), await admin.certificate.list({ type: "SERVER" }), await admin.certificate.get({ id: created.id }));
    responses.push(await admin.certificate.delete({ id: created.id }));
    expect(await lastTrace()).toMatchObject({ traceName: "delete certificate", resourceType: "certificate", resourceId: created.id, resourceName: "traced", code: "200" });
    await expect(admin.certificate.delete({ id: ids.web })).rejects.toThrow(/cannot be deleted: it is used by listener shop-https/);
    expect(await lastTrace()).toMatchObject({ traceName: "delete certificate", resourceName: "web-cert-2", code: "412" });

    const serialized = JSON.stringify({ responses, traces: await bed.ctx.db.select().from(traces) });
    expect(serialized).toContain("traced");
    for (const key of [web, api]) for (const line of keyRows(key.keyPem).concat(keyRows(key.traditionalKeyPem))) expect(serialized).not.toContain(line);
    expect(serialized).not.toMatch(/PRIVATE KEY-----/);
  });
});
