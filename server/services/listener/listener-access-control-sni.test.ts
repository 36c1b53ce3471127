import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { certificates, listeners, listenerSniCertificates, projects } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { createListener } from "./create-listener";
import { updateAccessControl } from "./update-access-control";
import { updateSni } from "./update-sni";
import { createTestLoadBalancer, insertTestCertificate, newListenerInput } from "./test-fixtures";

/** Configure beside Access Control (3.6, table 3-6) and beside SNI (3.8.5). */
let bed: ServiceTestBed;
let lbId: string;
let changes = 0;
beforeAll(async () => {
  bed = await createServiceTestBed();
  bed.onConfigChanged(() => changes++);
  lbId = (await createTestLoadBalancer(bed, "elb-ac-sni")).id;
});
afterAll(async () => {
  await bed?.close();
});

const listenerRow = async (id: string) => (await bed.ctx.db.select().from(listeners).where(eq(listeners.id, id)))[0]!;
const sniRows = (id: string) => bed.ctx.db.select().from(listenerSniCertificates).where(eq(listenerSniCertificates.listenerId, id));

describe("Access Control", () => {
  it("enables a whitelist from the guide's comma-separated text on every protocol, and keeps it when disabled", async () => {
    let port = 100;
    for (const protocol of ["TCP", "UDP", "HTTP", "HTTPS"] as const) {
      const extra = protocol === "HTTPS" ? { serverCertificateId: (await insertTestCertificate(bed, `ac-${port}`, "SERVER")).id } : {};
      const listener = await createListener(bed.ctx, newListenerInput(lbId, protocol, port++, extra));
      changes = 0;
      const view = await updateAccessControl(bed.ctx, { id: listener.id, enabled: true, whitelist: "10.168.2.24,10.168.16.0/24, 10.168.2.24" });
      expect(changes).toBe(1);
      expect(view.accessControl).toEqual({ enabled: true, whitelist: ["10.168.2.24", "10.168.16.0/24"] });
      expect(await listenerRow(listener.id)).toMatchObject({ accessControlEnabled: true, accessControlWhitelist: ["10.168.2.24", "10.168.16.0/24"] });
      expect((await updateAccessControl(bed.ctx, { id: listener.id, enabled: false, whitelist: ["10.168.2.24"] })).accessControl).toEqual({ enabled: false, whitelist: ["10.168.2.24"] });
    }
  });

  it("enabled with an empty whitelist is stored as such (nobody gets in)", async () => {
    const listener = await createListener(bed.ctx, newListenerInput(lbId, "TCP", 200));
    expect((await updateAccessControl(bed.ctx, { id: listener.id, enabled: true })).accessControl).toEqual({ enabled: true, whitelist: [] });
  });

  it("refuses IPv6, malformed entries, host bits and more than 300 entries, naming the field and the entry", async () => {
    const listener = await createListener(bed.ctx, newListenerInput(lbId, "TCP", 201));
    await updateAccessControl(bed.ctx, { id: listener.id, enabled: true, whitelist: "10.0.0.1" });
    const row = () => listenerRow(listener.id);
    changes = 0;
    const refuse = (whitelist: unknown, message: RegExp) => expectAppError(() => updateAccessControl(bed.ctx, { id: listener.id, enabled: true, whitelist }), { code: "BAD_REQUEST", field: "whitelist", message }, row);
    await refuse("10.0.0.2,2001:db8::1", /^Whitelist: 2001:db8::1 is an IPv6 address; the whitelist supports IPv4 addresses and CIDR blocks only$/);
    await refuse("10.0.0.2,10.0.0", /^Whitelist: 10\.0\.0 is not an IPv4 address or CIDR block/);
    await refuse("10.1.2.3/24", /^Whitelist: 10\.1\.2\.3\/24 is not a network address; did you mean 10\.1\.2\.0\/24\?$/);
    await refuse(Array.from({ length: 301 }, (_, i) => `10.1.${i >> 8}.${i & 255}`), /^Whitelist: can contain at most 300 IP addresses or CIDR blocks \(301 entered\)$/);
    await refuse(42, /^Whitelist: enter IPv4 addresses or CIDR blocks separated by commas$/);
    await expectAppError(() => updateAccessControl(bed.ctx, { id: listener.id, whitelist: "10.0.0.1" }), { field: "enabled", message: /^Access Control: must be enabled \(true\) or disabled \(false\)$/ }, row);
    expect(changes).toBe(0);
  });

  it("answers NOT_FOUND for a listener of another project", async () => {
    const listener = await createListener(bed.ctx, newListenerInput(lbId, "TCP", 202));
    const [project] = await bed.ctx.db.insert(projects).values({ name: "ac-elsewhere" }).returning();
    const outsider = { ...bed.ctx, scope: { ...bed.ctx.scope, projectId: project!.id } };
    await expectAppError(() => updateAccessControl(outsider, { id: listener.id, enabled: true }), { code: "NOT_FOUND", message: /^Listener: not found/ }, () => listenerRow(listener.id));
  });
});

describe("SNI", () => {
  it("enables SNI with server certificates that have domain names, and disabling clears them", async () => {
    const server = await insertTestCertificate(bed, "sni-default", "SERVER");
    const a = await insertTestCertificate(bed, "sni-a", "SERVER", { domainName: "a.example.test" });
    const wildcard = await insertTestCertificate(bed, "sni-wild", "SERVER", { domainName: "*.b.example.test" });
    const listener = await createListener(bed.ctx, newListenerInput(lbId, "HTTPS", 443, { serverCertificateId: server.id }));
    changes = 0;
    const view = await updateSni(bed.ctx, { id: listener.id, enabled: true, certificateIds: [a.id, wildcard.id, a.id] });
    expect(changes).toBe(1);
    expect(view.sni).toEqual({
      enabled: true,
      certificates: [
        { id: wildcard.id, name: "sni-wild", domainName: "*.b.example.test" },
        { id: a.id, name: "sni-a", domainName: "a.example.test" },
      ],
    });
    expect((await sniRows(listener.id)).map((r) => r.certificateId).sort()).toEqual([a.id, wildcard.id].sort());
    expect((await updateSni(bed.ctx, { id: listener.id, enabled: true, certificateIds: [a.id] })).sni.certificates.map((c) => c.name)).toEqual(["sni-a"]);
    expect((await updateSni(bed.ctx, { id: listener.id, enabled: false, certificateIds: [a.id] })).sni).toEqual({ enabled: false, certificates: [] });
    expect(await sniRows(listener.id)).toEqual([]);
  });

  it("refuses SNI on other protocols, no certificate, a CA certificate, one without a domain, two with one domain, one of another project", async () => {
    const server = await insertTestCertificate(bed, "sni-server-2", "SERVER");
    const a = await insertTestCertificate(bed, "sni-a2", "SERVER", { domainName: "a.example.test" });
    const aAgain = await insertTestCertificate(bed, "sni-a3", "SERVER", { domainName: "A.example.test" });
    const ca = await insertTestCertificate(bed, "sni-ca", "CA", { domainName: "ca.example.test" });
    const [project] = await bed.ctx.db.insert(projects).values({ name: "sni-elsewhere" }).returning();
    const foreign = await insertTestCertificate(bed, "sni-foreign", "SERVER", { domainName: "f.example.test", projectId: project!.id });
    const listener = await createListener(bed.ctx, newListenerInput(lbId, "HTTPS", 444, { serverCertificateId: server.id }));
    const http = await createListener(bed.ctx, newListenerInput(lbId, "HTTP", 8080));
    const state = async () => [await listenerRow(listener.id), await sniRows(listener.id)];
    changes = 0;
    const refuse = (certificateIds: string[], expected: { field: string; message: RegExp; code?: string }) => expectAppError(() => updateSni(bed.ctx, { id: listener.id, enabled: true, certificateIds }), expected, state);
    await expectAppError(() => updateSni(bed.ctx, { id: http.id, enabled: true, certificateIds: [a.id] }), { field: "id", message: /^SNI: can be configured only for an HTTPS listener; listener-http-8080 is an HTTP listener$/ }, state);
    await refuse([], { field: "certificateIds", message: /^SNI Certificate: select at least one server certificate when SNI is enabled$/ });
    await refuse([a.id, ca.id], { field: "certificateIds.1", message: /^SNI Certificate: sni-ca is a CA certificate; select a server certificate$/ });
    await refuse([server.id], { field: "certificateIds.0", message: /^SNI Certificate: sni-server-2 has no Domain Name; set one on the certificate or choose another/ });
    await refuse([a.id, aAgain.id], { field: "certificateIds.1", message: /^SNI Certificate: sni-a3 and sni-a2 both serve a\.example\.test; choose one certificate per domain name$/ });
    await refuse([foreign.id], { code: "NOT_FOUND", field: "certificateIds.0", message: /^SNI Certificate: certificate not found in this region and enterprise project$/ });
    await refuse(Array.from({ length: 51 }, (_, i) => `c-${i}`), { field: "certificateIds", message: /^SNI Certificate: select at most 50 certificates$/ });
    expect(changes).toBe(0);
  });

  it("waits for a certificate being changed and checks what it became: a Domain Name removed meanwhile is refused", async () => {
    // On PostgreSQL (CI runs this file again with DATABASE_URL) the two transactions overlap; PGlite runs one at a time.
    const server = await insertTestCertificate(bed, "sni-server-race", "SERVER");
    const racing = await insertTestCertificate(bed, "sni-race", "SERVER", { domainName: "race.example.test" });
    const listener = await createListener(bed.ctx, newListenerInput(lbId, "HTTPS", 445, { serverCertificateId: server.id }));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // What Modify Certificate does when it clears the Domain Name: lock the row, check no SNI use, update.
    const modify = bed.ctx.db.transaction(async (tx) => {
      await tx.select().from(certificates).where(eq(certificates.id, racing.id)).for("update");
      await tx.update(certificates).set({ domainName: null }).where(eq(certificates.id, racing.id));
      locked();
      await held;
    });
    await isLocked;
    const sni = updateSni(bed.ctx, { id: listener.id, enabled: true, certificateIds: [racing.id] }).then(
      () => null,
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 300)); // updateSni reaches the certificate row meanwhile
    release();
    await modify;
    expect(await sni).toMatchObject({ code: "BAD_REQUEST", field: "certificateIds.0", message: expect.stringMatching(/^SNI Certificate: sni-race has no Domain Name/) });
    expect(await sniRows(listener.id)).toEqual([]);
  });
});
