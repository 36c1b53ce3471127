import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc } from "drizzle-orm";
import { traces } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../../../services/test-support";
import { createTestLoadBalancer, insertTestCertificate } from "../../../services/listener/test-fixtures";
import { createCaller } from "../../root";

/**
 * The issue-9 procedures through tRPC: redirects and forwarding policies are traced as table 9-1's
 * l7policy ("create/update/delete forwarding policy", the body saying the action), Access Control and SNI
 * as "update listener"; a refusal is traced too.
 */
let bed: ServiceTestBed;
let admin: ReturnType<typeof createCaller>;
beforeAll(async () => {
  bed = await createServiceTestBed();
  admin = createCaller({ ...bed.ctx, user: bed.ctx.user, sourceIp: "192.0.2.30" });
});
afterAll(async () => {
  await bed?.close();
});

const lastTrace = async () => (await bed.ctx.db.select().from(traces).orderBy(desc(traces.time)).limit(1))[0]!;
const group = (name: string) => ({ mode: "new" as const, name, algorithm: "ROUND_ROBIN" as const });

describe("HTTPS, SNI, access control, redirect and forwarding policy procedures", () => {
  it("trace every change with the table 9-1 names and resource types", async () => {
    const lb = await createTestLoadBalancer(bed, "elb-l7-routers");
    const server = await insertTestCertificate(bed, "router-server", "SERVER");
    const sni = await insertTestCertificate(bed, "router-sni", "SERVER", { domainName: "a.example.test" });
    const https = await admin.listener.create({ loadBalancerId: lb.id, name: "https-443", protocol: "HTTPS", port: 443, serverCertificateId: server.id, http2Enabled: true, pool: group("tls-group") });
    expect(await lastTrace()).toMatchObject({ traceName: "create listener", resourceType: "listener", resourceId: https.id, code: "200" });
    const http = await admin.listener.create({ loadBalancerId: lb.id, name: "http-80", protocol: "HTTP", port: 80, pool: group("web-group") });

    await admin.listener.updateAccessControl({ id: http.id, enabled: true, whitelist: "10.168.2.24,10.168.16.0/24" });
    expect(await lastTrace()).toMatchObject({ traceName: "update listener", resourceType: "listener", resourceId: http.id, resourceName: "http-80", code: "200" });
    await admin.listener.updateSni({ id: https.id, enabled: true, certificateIds: [sni.id] });
    expect(await lastTrace()).toMatchObject({ traceName: "update listener", resourceType: "listener", resourceName: "https-443", code: "200" });
    expect((await admin.listener.get({ id: https.id })).sni.certificates).toEqual([{ id: sni.id, name: "router-sni", domainName: "a.example.test" }]);

    const redirect = await admin.redirect.create({ listenerId: http.id, name: "redirect-g8h9", targetListenerId: https.id });
    expect(await lastTrace()).toMatchObject({ traceName: "create forwarding policy", resourceType: "l7policy", resourceId: redirect.id, resourceName: "redirect-g8h9", code: "200", response: { action: "REDIRECT_TO_LISTENER" } });
    await admin.redirect.update({ id: redirect.id, description: "to TLS" });
    expect(await lastTrace()).toMatchObject({ traceName: "update forwarding policy", resourceType: "l7policy", resourceName: "redirect-g8h9", response: { action: "REDIRECT_TO_LISTENER" } });
    expect(await admin.redirect.list({ listenerId: http.id })).toMatchObject([{ id: redirect.id, description: "to TLS" }]);
    await admin.redirect.delete({ id: redirect.id });
    expect(await lastTrace()).toMatchObject({ traceName: "delete forwarding policy", resourceType: "l7policy", resourceId: redirect.id, resourceName: "redirect-g8h9", response: { action: "REDIRECT_TO_LISTENER" } });

    const policy = await admin.forwardingPolicy.create({ listenerId: https.id, name: "forwarding_policy-q582", url: "/login.php", urlMatchRule: "EXACT", pool: group("login-group") });
    expect(await lastTrace()).toMatchObject({ traceName: "create forwarding policy", resourceType: "l7policy", resourceId: policy.id, resourceName: "forwarding_policy-q582", code: "200", response: { action: "REDIRECT_TO_POOL", url: "/login.php" } });
    await admin.forwardingPolicy.update({ id: policy.id, urlMatchRule: "PREFIX" });
    expect(await lastTrace()).toMatchObject({ traceName: "update forwarding policy", resourceType: "l7policy", resourceName: "forwarding_policy-q582", response: { urlMatchRule: "PREFIX" } });
    expect(await admin.forwardingPolicy.list({ listenerId: https.id })).toMatchObject([{ id: policy.id, pool: { name: "login-group" } }]);
    await admin.forwardingPolicy.delete({ id: policy.id });
    expect(await lastTrace()).toMatchObject({ traceName: "delete forwarding policy", resourceType: "l7policy", resourceId: policy.id, resourceName: "forwarding_policy-q582", response: { action: "REDIRECT_TO_POOL" } });
  });

  it("traces refusals as warnings with the error naming the field", async () => {
    const lb = await createTestLoadBalancer(bed, "elb-l7-routers-2");
    const http = await admin.listener.create({ loadBalancerId: lb.id, name: "http-81", protocol: "HTTP", port: 81, pool: group("g-81") });
    await expect(admin.listener.updateAccessControl({ id: http.id, enabled: true, whitelist: "2001:db8::1" })).rejects.toThrow(/Whitelist: 2001:db8::1 is an IPv6 address/);
    expect(await lastTrace()).toMatchObject({ traceName: "update listener", code: "400", status: "warning", response: { error: { field: "whitelist" } } });
    await expect(admin.forwardingPolicy.create({ listenerId: http.id, name: "bad", url: "/(", urlMatchRule: "REGEX", pool: group("g") })).rejects.toThrow(/URL: not a valid regular expression/);
    expect(await lastTrace()).toMatchObject({ traceName: "create forwarding policy", resourceType: "l7policy", code: "400", status: "warning", response: { error: { field: "url" } } });
    await admin.forwardingPolicy.create({ listenerId: http.id, name: "first", url: "/a", pool: group("g-a") });
    await expect(admin.forwardingPolicy.create({ listenerId: http.id, name: "second", url: "/a", pool: group("g-b") })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await lastTrace()).toMatchObject({ traceName: "create forwarding policy", code: "409", status: "warning" });
    await expect(admin.redirect.create({ listenerId: http.id, name: "r", targetListenerId: http.id })).rejects.toThrow(/Redirected To: http-81 is an HTTP listener/);
    expect(await lastTrace()).toMatchObject({ traceName: "create forwarding policy", resourceType: "l7policy", code: "400" });
    await expect(admin.listener.get({ id: "no-such-listener" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
