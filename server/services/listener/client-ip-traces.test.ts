import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, desc, eq } from "drizzle-orm";
import { traces } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { createCaller } from "../../trpc/root";
import { createTestLoadBalancer, newListenerInput } from "./test-fixtures";

/** Issue 10 item 5: "update listener" and "update backend member group" (table 9-1) carry the client IP fields changed. */
let bed: ServiceTestBed;
let lbId: string;
beforeAll(async () => {
  bed = await createServiceTestBed();
  lbId = (await createTestLoadBalancer(bed, "elb-client-ip-traces")).id;
});
afterAll(async () => {
  await bed?.close();
});

const admin = () => createCaller({ ...bed.ctx, sourceIp: "127.0.0.9" });
const lastTrace = async (traceName: string, resourceId: string) =>
  (await bed.ctx.db.select().from(traces).where(and(eq(traces.traceName, traceName), eq(traces.resourceId, resourceId))).orderBy(desc(traces.time)).limit(1))[0];

describe("client IP changes are traced", () => {
  it("update listener: Transfer Client IP Address, Proxy Protocol and Trusted IPs (as stored), and the refusal of a bad entry", async () => {
    const listener = await admin().listener.create(newListenerInput(lbId, "TCP", 4000));
    await admin().listener.update({ id: listener.id, transferClientIp: true, proxyProtocolAccept: true, trustedIps: "10.0.0.0/8, 2001:DB8::1" });
    const trace = await lastTrace("update listener", listener.id);
    expect(trace).toMatchObject({ resourceType: "listener", resourceName: listener.name, code: "200", status: "normal", sourceIp: "127.0.0.9" });
    expect(trace!.request).toEqual({ id: listener.id, transferClientIp: true, proxyProtocolAccept: true, trustedIps: ["10.0.0.0/8", "2001:db8::1"] });
    expect(trace!.response).toMatchObject({ id: listener.id, clientIp: { transferClientIp: true, proxyProtocolAccept: true, trustedIps: ["10.0.0.0/8", "2001:db8::1"] } });

    await expect(admin().listener.update({ id: listener.id, trustedIps: "10.0.0.1/8" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const refused = await lastTrace("update listener", listener.id);
    expect(refused).toMatchObject({ code: "400", status: "warning" });
    expect(refused!.response).toMatchObject({ error: { field: "trustedIps", message: expect.stringMatching(/did you mean 10\.0\.0\.0\/8/) } });
  });

  it("update listener: the X-Forwarded-* and Real IP fields of an HTTP listener", async () => {
    const listener = await admin().listener.create(newListenerInput(lbId, "HTTP", 4001));
    const change = { xForwardedForMode: "REPLACE" as const, xForwardedHost: true, xRealIp: true, realIpHeader: "X_REAL_IP" as const, realIpRecursive: true, trustedIps: ["192.0.2.0/24"] };
    await admin().listener.update({ id: listener.id, ...change });
    expect((await lastTrace("update listener", listener.id))!.request).toEqual({ id: listener.id, ...change });
  });

  it("update backend member group: Client IP Transport", async () => {
    const listener = await admin().listener.create(newListenerInput(lbId, "UDP", 4002));
    const poolId = listener.pool!.id;
    await admin().pool.update({ id: poolId, clientIpTransport: "PROXY_V2" });
    const trace = await lastTrace("update backend member group", poolId);
    expect(trace).toMatchObject({ resourceType: "pool", code: "200" });
    expect(trace!.request).toEqual({ id: poolId, clientIpTransport: "PROXY_V2" });
    expect(trace!.response).toMatchObject({ id: poolId, clientIpTransport: "PROXY_V2" });
    await expect(admin().pool.update({ id: poolId, clientIpTransport: "PROXY_V1" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await lastTrace("update backend member group", poolId))!.response).toMatchObject({ error: { field: "clientIpTransport", message: expect.stringMatching(/PROXY protocol v1 carries TCP only/) } });
  });
});
