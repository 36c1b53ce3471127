import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { listeners, listenerSniCertificates, projects, redirects } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { deleteRedirect } from "../redirect/delete-redirect";
import { createListener } from "./create-listener";
import { updateListener } from "./update-listener";
import { deleteListener } from "./delete-listener";
import { getListener } from "./get-listener";
import { backendRowCounts, createTestLoadBalancer, insertTestCertificate, newListenerInput } from "./test-fixtures";

/** HTTPS listeners (table 3-3: Server Certificate, HTTP/2, Mutual Authentication), Redirect on Add Listener, delete rules of 3.7. */
let bed: ServiceTestBed;
let lbId: string;
let otherLbId: string;
let changes = 0;
const cert = { server: "", server2: "", ca: "", foreign: "" };
beforeAll(async () => {
  bed = await createServiceTestBed();
  bed.onConfigChanged(() => changes++);
  lbId = (await createTestLoadBalancer(bed, "elb-https")).id;
  otherLbId = (await createTestLoadBalancer(bed, "elb-https-other")).id;
  const [elsewhere] = await bed.ctx.db.insert(projects).values({ name: "https-elsewhere" }).returning();
  cert.server = (await insertTestCertificate(bed, "server-1", "SERVER", { domainName: "www.example.test" })).id;
  cert.server2 = (await insertTestCertificate(bed, "server-2", "SERVER")).id;
  cert.ca = (await insertTestCertificate(bed, "ca-1", "CA")).id;
  cert.foreign = (await insertTestCertificate(bed, "foreign-server", "SERVER", { projectId: elsewhere!.id })).id;
});
afterAll(async () => {
  await bed?.close();
});

const counts = async () => ({ ...(await backendRowCounts(bed.ctx.db)), redirects: (await bed.ctx.db.select().from(redirects)).length });
const https = (port: number, extra: Record<string, unknown> = {}, lb = lbId) => createListener(bed.ctx, newListenerInput(lb, "HTTPS", port, { serverCertificateId: cert.server, ...extra }));

describe("Add Listener with HTTPS (table 3-3)", () => {
  it("creates an HTTPS listener with its server certificate, HTTP/2 and Mutual Authentication, an HTTP group and a 60 s idle timeout", async () => {
    changes = 0;
    const view = await https(443, { http2Enabled: true, caCertificateId: cert.ca });
    expect(changes).toBe(1);
    expect(view).toMatchObject({
      protocol: "HTTPS",
      port: 443,
      pool: { protocol: "HTTP" },
      healthCheck: { protocol: "HTTP" },
      serverCertificate: { id: cert.server, name: "server-1" },
      http2Enabled: true,
      caCertificate: { id: cert.ca, name: "ca-1" },
      sni: { enabled: false, certificates: [] },
      accessControl: { enabled: false, whitelist: [] },
      redirect: null,
      redirectedFrom: [],
      forwardingPolicyCount: 0,
    });
    const [row] = await bed.ctx.db.select().from(listeners).where(eq(listeners.id, view.id));
    expect(row).toMatchObject({ serverCertificateId: cert.server, caCertificateId: cert.ca, http2Enabled: true, idleTimeoutSeconds: 60, portClass: "STREAM" });
    // Without the advanced settings: HTTP/2 off, Mutual Authentication off.
    expect(await https(444)).toMatchObject({ http2Enabled: false, caCertificate: null });
  });

  it("requires a server certificate of this region and project, and a CA certificate for Mutual Authentication", async () => {
    changes = 0;
    await expectAppError(() => https(445, { serverCertificateId: null }), { code: "BAD_REQUEST", field: "serverCertificateId", message: /^Server Certificate: required for an HTTPS listener; select a server certificate$/ }, counts);
    await expectAppError(() => https(445, { serverCertificateId: cert.ca }), { code: "BAD_REQUEST", field: "serverCertificateId", message: /^Server Certificate: ca-1 is a CA certificate; select a server certificate$/ }, counts);
    await expectAppError(() => https(445, { serverCertificateId: cert.foreign }), { code: "NOT_FOUND", field: "serverCertificateId", message: /^Server Certificate: certificate not found in this region and enterprise project$/ }, counts);
    await expectAppError(() => https(445, { caCertificateId: cert.server2 }), { code: "BAD_REQUEST", field: "caCertificateId", message: /^CA Certificate: server-2 is a server certificate; select a CA certificate$/ }, counts);
    await expectAppError(() => https(445, { caCertificateId: "no-such-certificate" }), { code: "NOT_FOUND", field: "caCertificateId", message: /^CA Certificate: certificate not found/ }, counts);
    expect(changes).toBe(0);
  });

  it("refuses the HTTPS-only fields on other protocols, and Redirect on anything but HTTP", async () => {
    const tcp = (extra: Record<string, unknown>) => createListener(bed.ctx, newListenerInput(lbId, "TCP", 446, extra));
    await expectAppError(() => tcp({ serverCertificateId: cert.server }), { field: "serverCertificateId", message: /^Server Certificate: can be set only when Frontend Protocol is HTTPS$/ }, counts);
    await expectAppError(() => createListener(bed.ctx, newListenerInput(lbId, "HTTP", 446, { http2Enabled: true })), { field: "http2Enabled", message: /^HTTP\/2: can be enabled only when Frontend Protocol is HTTPS$/ }, counts);
    await expectAppError(() => tcp({ caCertificateId: cert.ca }), { field: "caCertificateId", message: /^CA Certificate: Mutual Authentication can be enabled only when Frontend Protocol is HTTPS$/ }, counts);
    await expectAppError(() => https(446, { redirectToListenerId: "x" }), { field: "redirectToListenerId", message: /^Redirected To: only an HTTP listener can be redirected \(to an HTTPS listener\)$/ }, counts);
    await expectAppError(() => tcp({ http2Enabled: "yes" }), { field: "http2Enabled", message: /^HTTP\/2: must be enabled \(true\) or disabled \(false\)$/ }, counts);
  });

  it("an HTTP listener with Redirect on gets its redirect (redirect-xxxx) in the same transaction", async () => {
    const target = await https(8443);
    const view = await createListener(bed.ctx, newListenerInput(lbId, "HTTP", 8080, { redirectToListenerId: target.id }));
    expect(view.redirect).toEqual({ id: expect.any(String), name: expect.stringMatching(/^redirect-[a-z0-9]{4}$/), description: "", targetListener: { id: target.id, name: target.name, port: 8443 } });
    expect(await getListener(bed.ctx, { id: target.id })).toMatchObject({ redirectedFrom: [{ redirectId: view.redirect!.id, redirectName: view.redirect!.name, listener: { id: view.id, name: view.name, port: 8080 } }], engineError: null });
    const http = await createListener(bed.ctx, newListenerInput(lbId, "HTTP", 8081));
    const foreign = await https(8443, {}, otherLbId);
    // A refused redirect leaves no listener (and no group) behind.
    await expectAppError(() => createListener(bed.ctx, newListenerInput(lbId, "HTTP", 8082, { redirectToListenerId: http.id })), { code: "BAD_REQUEST", field: "redirectToListenerId", message: /^Redirected To: listener-http-8081 is an HTTP listener; select an HTTPS listener of the same load balancer$/ }, counts);
    await expectAppError(() => createListener(bed.ctx, newListenerInput(lbId, "HTTP", 8082, { redirectToListenerId: foreign.id })), { code: "NOT_FOUND", field: "redirectToListenerId", message: /^Redirected To: listener not found on this load balancer/ }, counts);
  });
});

describe("Modify Listener: server certificate, HTTP/2, Mutual Authentication", () => {
  it("changes them on an HTTPS listener; null turns Mutual Authentication off", async () => {
    const listener = await https(9443, { caCertificateId: cert.ca });
    changes = 0;
    const updated = await updateListener(bed.ctx, { id: listener.id, serverCertificateId: cert.server2, http2Enabled: true, caCertificateId: null });
    expect(changes).toBe(1);
    expect(updated).toMatchObject({ serverCertificate: { id: cert.server2, name: "server-2" }, http2Enabled: true, caCertificate: null });
    expect((await updateListener(bed.ctx, { id: listener.id, caCertificateId: cert.ca })).caCertificate).toEqual({ id: cert.ca, name: "ca-1" });
    const rows = () => bed.ctx.db.select().from(listeners).where(eq(listeners.id, listener.id));
    await expectAppError(() => updateListener(bed.ctx, { id: listener.id, serverCertificateId: cert.ca }), { field: "serverCertificateId", message: /^Server Certificate: ca-1 is a CA certificate/ }, rows);
    await expectAppError(() => updateListener(bed.ctx, { id: listener.id, serverCertificateId: null }), { field: "serverCertificateId", message: /^Server Certificate: select a server certificate$/ }, rows);
    await expectAppError(() => updateListener(bed.ctx, { id: listener.id, caCertificateId: cert.foreign }), { code: "NOT_FOUND", field: "caCertificateId" , message: /^CA Certificate: certificate not found/ }, rows);
  });

  it("refuses them on other protocols", async () => {
    const http = await createListener(bed.ctx, newListenerInput(lbId, "HTTP", 9080));
    const rows = () => bed.ctx.db.select().from(listeners).where(eq(listeners.id, http.id));
    await expectAppError(() => updateListener(bed.ctx, { id: http.id, http2Enabled: true }), { field: "http2Enabled", message: /^HTTP\/2: can be enabled only for an HTTPS listener$/ }, rows);
    await expectAppError(() => updateListener(bed.ctx, { id: http.id, serverCertificateId: cert.server }), { field: "serverCertificateId", message: /^Server Certificate: can be set only for an HTTPS listener$/ }, rows);
    await expectAppError(() => updateListener(bed.ctx, { id: http.id, caCertificateId: cert.ca }), { field: "caCertificateId", message: /^CA Certificate: Mutual Authentication can be enabled only for an HTTPS listener$/ }, rows);
    // Sending the "off" values a form holds for every listener is no change.
    expect(await updateListener(bed.ctx, { id: http.id, http2Enabled: false, caCertificateId: null, name: "plain" })).toMatchObject({ name: "plain", http2Enabled: false, caCertificate: null });
  });
});

describe("Delete Listener (guide 3.7)", () => {
  it("refuses to delete an HTTPS listener while HTTP requests are redirected to it, then deletes it once the redirect is gone", async () => {
    const target = await https(10443);
    const http = await createListener(bed.ctx, newListenerInput(lbId, "HTTP", 10080, { redirectToListenerId: target.id }));
    changes = 0;
    await expectAppError(
      () => deleteListener(bed.ctx, { id: target.id }),
      { code: "PRECONDITION_FAILED", message: new RegExp(`^Listener listener-https-10443 cannot be deleted: HTTP requests are redirected to it; delete the redirect ${http.redirect!.name} of listener listener-http-10080 first\\.$`) },
      counts,
    );
    expect(changes).toBe(0);
    await deleteRedirect(bed.ctx, { id: http.redirect!.id });
    await deleteListener(bed.ctx, { id: target.id });
    expect(await bed.ctx.db.select().from(listeners).where(eq(listeners.id, target.id))).toEqual([]);
  });

  it("deleting a redirected HTTP listener or an HTTPS listener with SNI takes its redirect and SNI choices with it", async () => {
    const target = await https(11443);
    await bed.ctx.db.update(listeners).set({ sniEnabled: true }).where(eq(listeners.id, target.id));
    await bed.ctx.db.insert(listenerSniCertificates).values({ listenerId: target.id, certificateId: cert.server });
    const http = await createListener(bed.ctx, newListenerInput(lbId, "HTTP", 11080, { redirectToListenerId: target.id }));
    await deleteListener(bed.ctx, { id: http.id });
    expect(await bed.ctx.db.select().from(redirects).where(eq(redirects.id, http.redirect!.id))).toEqual([]);
    await deleteListener(bed.ctx, { id: target.id });
    expect(await bed.ctx.db.select().from(listenerSniCertificates).where(eq(listenerSniCertificates.listenerId, target.id))).toEqual([]);
  });
});

describe("listener.get", () => {
  it("answers NOT_FOUND for an unknown listener or one of another project", async () => {
    const listener = await https(12443);
    await expectAppError(() => getListener(bed.ctx, { id: "no-such-listener" }), { code: "NOT_FOUND", field: "id", message: /^Listener: not found/ }, counts);
    const [project] = await bed.ctx.db.insert(projects).values({ name: "get-elsewhere" }).returning();
    await expectAppError(() => getListener({ ...bed.ctx, scope: { ...bed.ctx.scope, projectId: project!.id } }, { id: listener.id }), { code: "NOT_FOUND", message: /^Listener: not found/ }, counts);
  });
});
