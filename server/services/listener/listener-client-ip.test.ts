import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { listeners } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { createListener } from "./create-listener";
import { updateListener } from "./update-listener";
import { getListener } from "./get-listener";
import { DEFAULT_CLIENT_IP } from "@/engine/protocol/snapshot.types";
import { CLIENT_IP_FIELDS, clientIpOf, DEFAULT_CLIENT_IP_SETTINGS } from "./client-ip.schemas";
import { backendRowCounts, createTestLoadBalancer, insertTestCertificate, newListenerInput } from "./test-fixtures";

/** Client IP settings of Add/Modify Listener (issue 10 items 1–3): which protocol takes which, and how they depend on each other. */
let bed: ServiceTestBed;
let lbId: string;
let serverCertificateId: string;
let changes = 0;
beforeAll(async () => {
  bed = await createServiceTestBed();
  bed.onConfigChanged(() => changes++);
  lbId = (await createTestLoadBalancer(bed, "elb-client-ip")).id;
  serverCertificateId = (await insertTestCertificate(bed, "client-ip-server", "SERVER")).id;
});
afterAll(async () => {
  await bed?.close();
});

let nextPort = 20000;
const counts = () => backendRowCounts(bed.ctx.db);
const add = (protocol: "TCP" | "UDP" | "HTTP" | "HTTPS", extra: Record<string, unknown> = {}) =>
  createListener(bed.ctx, newListenerInput(lbId, protocol, nextPort++, { ...(protocol === "HTTPS" && { serverCertificateId }), ...extra }));
const rowOf = async (id: string) => (await bed.ctx.db.select().from(listeners).where(eq(listeners.id, id)))[0]!;
const rowsOf = (id: string) => async () => rowOf(id);

describe("Add Listener: client IP settings", () => {
  it("gives every listener the defaults when none is entered (X-Forwarded-Proto on, the rest off)", async () => {
    for (const protocol of ["TCP", "UDP", "HTTP", "HTTPS"] as const) expect((await add(protocol)).clientIp).toEqual(DEFAULT_CLIENT_IP_SETTINGS);
  });

  it("the defaults are the database's column defaults and the engine's for a listener without settings, fields in form order", async () => {
    const [row] = await bed.ctx.db.insert(listeners).values({ loadBalancerId: lbId, name: "raw-defaults", protocol: "HTTP", port: nextPort++, portClass: "STREAM" }).returning();
    expect(clientIpOf(row!)).toEqual(DEFAULT_CLIENT_IP_SETTINGS);
    const { transferClientIp, xForwardedForMode, ...sameNames } = DEFAULT_CLIENT_IP_SETTINGS;
    expect({ transferClientIp, ...sameNames, xForwardedFor: xForwardedForMode }).toEqual({ transferClientIp: false, ...DEFAULT_CLIENT_IP });
    expect(CLIENT_IP_FIELDS.join()).toBe("transferClientIp,proxyProtocolAccept,trustedIps,xForwardedForMode,xForwardedForTrustedOnly,xForwardedProto,xForwardedPort,xForwardedHost,xRealIp,realIpHeader,realIpRecursive");
    await bed.ctx.db.delete(listeners).where(eq(listeners.id, row!.id));
  });

  it("TCP: Transfer Client IP Address, Proxy Protocol and Trusted IPs (normalised, in the order entered)", async () => {
    changes = 0;
    const view = await add("TCP", { transferClientIp: true, proxyProtocolAccept: true, trustedIps: "10.0.0.0/8, 2001:DB8::1,::ffff:192.0.2.7" });
    expect(changes).toBe(1);
    expect(view.clientIp).toEqual({ ...DEFAULT_CLIENT_IP_SETTINGS, transferClientIp: true, proxyProtocolAccept: true, trustedIps: ["10.0.0.0/8", "2001:db8::1", "192.0.2.7"] });
    expect(await rowOf(view.id)).toMatchObject({ transferClientIp: true, proxyProtocolAccept: true, trustedIps: ["10.0.0.0/8", "2001:db8::1", "192.0.2.7"] });
  });

  it("UDP: Transfer Client IP Address only", async () => {
    expect((await add("UDP", { transferClientIp: true })).clientIp.transferClientIp).toBe(true);
    await expectAppError(() => add("UDP", { proxyProtocolAccept: true, trustedIps: ["10.0.0.1"] }), { field: "proxyProtocolAccept", message: /^Proxy Protocol: available only for TCP, HTTP and HTTPS listeners$/ }, counts);
    await expectAppError(() => add("UDP", { trustedIps: ["10.0.0.1"] }), { field: "trustedIps", message: /^Trusted IPs: available only for TCP, HTTP and HTTPS listeners$/ }, counts);
  });

  it("HTTP/HTTPS: X-Forwarded-For mode, the X-Forwarded-* and X-Real-IP switches, Real IP Header and Recursive", async () => {
    const everyHttpField = {
      proxyProtocolAccept: true,
      trustedIps: ["127.0.0.0/8"],
      xForwardedForMode: "APPEND",
      xForwardedForTrustedOnly: true,
      xForwardedProto: false,
      xForwardedPort: true,
      xForwardedHost: true,
      xRealIp: true,
      realIpHeader: "PROXY_PROTOCOL",
      realIpRecursive: true,
    } as const;
    const view = await add("HTTP", everyHttpField);
    expect(view.clientIp).toEqual({ transferClientIp: false, ...everyHttpField });
    expect((await add("HTTP", { xForwardedForMode: "REMOVE" })).clientIp.xForwardedForMode).toBe("REMOVE");
    expect((await add("HTTP", { realIpHeader: "X_FORWARDED_FOR", trustedIps: "10.0.0.0/8", realIpRecursive: true })).clientIp).toMatchObject({ realIpHeader: "X_FORWARDED_FOR", realIpRecursive: true });
  });

  it("refuses each field on a listener of another protocol, naming it (its default is accepted)", async () => {
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ["HTTP", { transferClientIp: true }, "transferClientIp", /^Transfer Client IP Address: available only for TCP and UDP listeners; HTTP and HTTPS listeners pass the client's address in X-Forwarded-For$/],
      ["HTTPS", { transferClientIp: true }, "transferClientIp", /^Transfer Client IP Address: available only for TCP and UDP listeners/],
      ["TCP", { xForwardedForMode: "REPLACE" }, "xForwardedForMode", /^X-Forwarded-For: available only for HTTP and HTTPS listeners$/],
      ["TCP", { xForwardedForTrustedOnly: true }, "xForwardedForTrustedOnly", /^Trust X-Forwarded-For only from trusted IPs: available only for HTTP and HTTPS listeners$/],
      ["UDP", { xForwardedProto: false }, "xForwardedProto", /^X-Forwarded-Proto: available only for HTTP and HTTPS listeners$/],
      ["TCP", { xForwardedPort: true }, "xForwardedPort", /^X-Forwarded-Port: available only/],
      ["TCP", { xForwardedHost: true }, "xForwardedHost", /^X-Forwarded-Host: available only/],
      ["TCP", { xRealIp: true }, "xRealIp", /^X-Real-IP: available only/],
      ["TCP", { realIpHeader: "X_REAL_IP", trustedIps: ["10.0.0.1"] }, "realIpHeader", /^Real IP Header: available only for HTTP and HTTPS listeners$/],
      ["TCP", { realIpRecursive: true }, "realIpRecursive", /^Real IP Recursive: available only/],
    ];
    for (const [protocol, extra, field, message] of cases)
      await expectAppError(() => add(protocol as "TCP", extra), { code: "BAD_REQUEST", field, message }, counts);
    // The defaults themselves are fine anywhere (a form may send them).
    expect((await add("TCP", { xForwardedProto: true, xForwardedForMode: "APPEND", realIpHeader: "NONE", transferClientIp: false })).clientIp).toEqual(DEFAULT_CLIENT_IP_SETTINGS);
    expect((await add("HTTP", { transferClientIp: false })).protocol).toBe("HTTP");
  });

  it("Proxy Protocol and a Real IP Header need Trusted IPs; proxy_protocol needs Proxy Protocol; trusted-only needs Append", async () => {
    await expectAppError(() => add("TCP", { proxyProtocolAccept: true }), { field: "trustedIps", message: /^Trusted IPs: Proxy Protocol needs at least one trusted IP address or CIDR block/ }, counts);
    await expectAppError(() => add("HTTPS", { proxyProtocolAccept: true, trustedIps: "" }), { field: "trustedIps", message: /^Trusted IPs: Proxy Protocol needs at least one trusted IP/ }, counts);
    await expectAppError(() => add("HTTP", { realIpHeader: "X_FORWARDED_FOR" }), { field: "trustedIps", message: /^Trusted IPs: Real IP Header X-Forwarded-For needs at least one trusted IP address or CIDR block \(the header is believed only from them\)$/ }, counts);
    await expectAppError(() => add("HTTP", { realIpHeader: "X_REAL_IP" }), { field: "trustedIps", message: /Real IP Header X-Real-IP needs at least one trusted IP/ }, counts);
    await expectAppError(() => add("HTTP", { realIpHeader: "PROXY_PROTOCOL", trustedIps: "10.0.0.1" }), { field: "realIpHeader", message: /^Real IP Header: proxy_protocol needs Proxy Protocol enabled on this listener$/ }, counts);
    await expectAppError(() => add("HTTP", { xForwardedForMode: "REPLACE", xForwardedForTrustedOnly: true }), { field: "xForwardedForTrustedOnly", message: /^Trust X-Forwarded-For only from trusted IPs: applies only when X-Forwarded-For is Append \(Replace never keeps/ }, counts);
  });

  it("refuses a bad Trusted IP, a bad mode or header, and a non-boolean switch, naming the field", async () => {
    await expectAppError(() => add("TCP", { trustedIps: "10.0.0.1, 10.0.0.300" }), { field: "trustedIps", message: /^Trusted IPs: 10\.0\.0\.300 is not an IPv4 or IPv6 address or CIDR block/ }, counts);
    await expectAppError(() => add("TCP", { trustedIps: "10.0.0.1/24" }), { field: "trustedIps", message: /did you mean 10\.0\.0\.0\/24\?/ }, counts);
    await expectAppError(() => add("TCP", { trustedIps: ["10.0.0.1", "10.0.0.1"] }), { field: "trustedIps", message: /^Trusted IPs: 10\.0\.0\.1 is entered twice$/ }, counts);
    await expectAppError(() => add("TCP", { trustedIps: 7 }), { field: "trustedIps", message: /^Trusted IPs: enter IPv4 or IPv6 addresses or CIDR blocks separated by commas$/ }, counts);
    await expectAppError(() => add("HTTP", { xForwardedForMode: "PREPEND" }), { field: "xForwardedForMode", message: /^X-Forwarded-For: choose Append, Replace or Remove$/ }, counts);
    await expectAppError(() => add("HTTP", { realIpHeader: "Forwarded" }), { field: "realIpHeader", message: /^Real IP Header: choose None, X-Forwarded-For, X-Real-IP or proxy_protocol$/ }, counts);
    await expectAppError(() => add("TCP", { transferClientIp: "on" }), { field: "transferClientIp", message: /^Transfer Client IP Address: must be enabled \(true\) or disabled \(false\)$/ }, counts);
    const many = Array.from({ length: 301 }, (_, i) => `10.1.${Math.floor(i / 256)}.${i % 256}`);
    await expectAppError(() => add("TCP", { trustedIps: many }), { field: "trustedIps", message: /^Trusted IPs: can contain at most 300 IP addresses or CIDR blocks \(301 entered\)$/ }, counts);
  });
});

describe("Modify Listener: client IP settings", () => {
  it("changes only what is entered and checks the result against what is stored", async () => {
    const tcp = await add("TCP");
    const at = rowsOf(tcp.id);
    // Proxy Protocol without Trusted IPs stored or entered: refused; with them: on; Trusted IPs can't then be emptied.
    await expectAppError(() => updateListener(bed.ctx, { id: tcp.id, proxyProtocolAccept: true }), { field: "trustedIps", message: /^Trusted IPs: Proxy Protocol needs at least one trusted IP/ }, at);
    await updateListener(bed.ctx, { id: tcp.id, trustedIps: "192.0.2.0/24" });
    expect((await updateListener(bed.ctx, { id: tcp.id, proxyProtocolAccept: true })).clientIp).toMatchObject({ proxyProtocolAccept: true, trustedIps: ["192.0.2.0/24"] });
    await expectAppError(() => updateListener(bed.ctx, { id: tcp.id, trustedIps: [] }), { field: "trustedIps", message: /Proxy Protocol needs at least one trusted IP/ }, at);
    changes = 0;
    const updated = await updateListener(bed.ctx, { id: tcp.id, transferClientIp: true, name: "renamed-client-ip" });
    expect(changes).toBe(1);
    expect(updated).toMatchObject({ name: "renamed-client-ip", clientIp: { transferClientIp: true, proxyProtocolAccept: true, trustedIps: ["192.0.2.0/24"] } });
    expect((await updateListener(bed.ctx, { id: tcp.id, transferClientIp: false })).clientIp.transferClientIp).toBe(false);
    await expectAppError(() => updateListener(bed.ctx, { id: tcp.id, xRealIp: true }), { field: "xRealIp", message: /^X-Real-IP: available only for HTTP and HTTPS listeners$/ }, at);
  });

  it("keeps name and description when only client IP fields are sent (a partial Modify clears nothing)", async () => {
    const tcp = await add("TCP", { description: "kept" });
    const updated = await updateListener(bed.ctx, { id: tcp.id, transferClientIp: true });
    expect(updated).toMatchObject({ name: tcp.name, description: "kept", clientIp: { transferClientIp: true } });
  });

  it("refuses Transfer Client IP Address on HTTP, and keeps HTTP settings consistent across modifications", async () => {
    const http = await add("HTTP", { trustedIps: ["10.0.0.0/8"], realIpHeader: "X_FORWARDED_FOR" });
    const at = rowsOf(http.id);
    await expectAppError(() => updateListener(bed.ctx, { id: http.id, transferClientIp: true }), { field: "transferClientIp", message: /^Transfer Client IP Address: available only for TCP and UDP listeners/ }, at);
    await expectAppError(() => updateListener(bed.ctx, { id: http.id, trustedIps: "" }), { field: "trustedIps", message: /Real IP Header X-Forwarded-For needs at least one trusted IP/ }, at);
    await expectAppError(() => updateListener(bed.ctx, { id: http.id, realIpHeader: "PROXY_PROTOCOL" }), { field: "realIpHeader", message: /proxy_protocol needs Proxy Protocol enabled/ }, at);
    await expectAppError(() => updateListener(bed.ctx, { id: http.id, xForwardedForTrustedOnly: true, xForwardedForMode: "REMOVE" }), { field: "xForwardedForTrustedOnly", message: /applies only when X-Forwarded-For is Append \(Remove/ }, at);
    const updated = await updateListener(bed.ctx, { id: http.id, proxyProtocolAccept: true, realIpHeader: "PROXY_PROTOCOL", xForwardedForMode: "REPLACE", xForwardedPort: true });
    expect(updated.clientIp).toMatchObject({ proxyProtocolAccept: true, realIpHeader: "PROXY_PROTOCOL", xForwardedForMode: "REPLACE", xForwardedPort: true, xForwardedProto: true, trustedIps: ["10.0.0.0/8"] });
    expect((await getListener(bed.ctx, { id: http.id })).clientIp).toEqual(updated.clientIp);
  });
});
