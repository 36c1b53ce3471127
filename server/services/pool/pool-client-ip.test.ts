import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { pools } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { createListener } from "../listener/create-listener";
import { backendRowCounts, createTestLoadBalancer, newListenerInput } from "../listener/test-fixtures";
import { createPool } from "./create-pool";
import { updatePool } from "./update-pool";
import { getPool } from "./get-pool";

/** Client IP Transport of backend server groups (issue 10 item 2): TCP all three, UDP Transparent or v2, HTTP none. */
let bed: ServiceTestBed;
let lbId: string;
beforeAll(async () => {
  bed = await createServiceTestBed();
  lbId = (await createTestLoadBalancer(bed, "elb-pool-client-ip")).id;
});
afterAll(async () => {
  await bed?.close();
});

let seq = 0;
const counts = () => backendRowCounts(bed.ctx.db);
const group = (protocol: "TCP" | "UDP" | "HTTP", extra: Record<string, unknown> = {}) =>
  createPool(bed.ctx, { loadBalancerId: lbId, name: `client_ip_group-${++seq}`, protocol, algorithm: "ROUND_ROBIN", ...extra });
const stored = async (id: string) => (await bed.ctx.db.select({ t: pools.clientIpTransport }).from(pools).where(eq(pools.id, id)))[0]!.t;
const V1_UDP = /^Client IP Transport: PROXY protocol v1 carries TCP only; choose Transparent or PROXY protocol v2 for a UDP backend server group$/;

describe("Add Backend Server Group: Client IP Transport", () => {
  it("defaults to Transparent and takes every choice its protocol offers", async () => {
    expect((await group("TCP")).clientIpTransport).toBe("TRANSPARENT");
    for (const t of ["TRANSPARENT", "PROXY_V1", "PROXY_V2"]) expect((await group("TCP", { clientIpTransport: t })).clientIpTransport).toBe(t);
    for (const t of ["TRANSPARENT", "PROXY_V2"]) expect((await group("UDP", { clientIpTransport: t, healthMonitor: null })).clientIpTransport).toBe(t);
    const http = await group("HTTP");
    expect(await stored(http.id)).toBe("TRANSPARENT");
  });

  it("refuses v1 for UDP, any choice but the default for HTTP, and an unknown value", async () => {
    await expectAppError(() => group("UDP", { clientIpTransport: "PROXY_V1" }), { code: "BAD_REQUEST", field: "clientIpTransport", message: V1_UDP }, counts);
    await expectAppError(() => group("HTTP", { clientIpTransport: "PROXY_V2" }), { field: "clientIpTransport", message: /^Client IP Transport: applies only to TCP and UDP backend server groups/ }, counts);
    await expectAppError(() => group("TCP", { clientIpTransport: "PROXY_V3" }), { field: "clientIpTransport", message: /^Client IP Transport: choose Transparent, PROXY protocol v1 or PROXY protocol v2$/ }, counts);
  });
});

describe("Add Listener's new group: Client IP Transport", () => {
  it("stores the choice of the backend step, refusing v1 for a UDP listener's group", async () => {
    const tcp = await createListener(bed.ctx, newListenerInput(lbId, "TCP", 7001, { transferClientIp: true, pool: { mode: "new", name: "pp2", algorithm: "ROUND_ROBIN", clientIpTransport: "PROXY_V2" } }));
    expect((await getPool(bed.ctx, { id: tcp.pool!.id })).clientIpTransport).toBe("PROXY_V2");
    await expectAppError(
      () => createListener(bed.ctx, newListenerInput(lbId, "UDP", 7002, { pool: { mode: "new", name: "pp1", algorithm: "ROUND_ROBIN", clientIpTransport: "PROXY_V1" } })),
      { field: "pool.clientIpTransport", message: V1_UDP },
      counts,
    );
  });
});

describe("Modify Backend Server Group: Client IP Transport", () => {
  it("changes it for TCP/UDP groups and leaves it when absent", async () => {
    const tcp = await group("TCP", { description: "kept" });
    expect(await updatePool(bed.ctx, { id: tcp.id, clientIpTransport: "PROXY_V1" })).toMatchObject({ clientIpTransport: "PROXY_V1", description: "kept" });
    expect((await updatePool(bed.ctx, { id: tcp.id, name: "renamed-tcp" })).clientIpTransport).toBe("PROXY_V1");
    const udp = await group("UDP", { healthMonitor: null });
    expect((await updatePool(bed.ctx, { id: udp.id, clientIpTransport: "PROXY_V2" })).clientIpTransport).toBe("PROXY_V2");
    await expectAppError(() => updatePool(bed.ctx, { id: udp.id, clientIpTransport: "PROXY_V1" }), { field: "clientIpTransport", message: V1_UDP }, () => stored(udp.id));
    const http = await group("HTTP");
    await expectAppError(() => updatePool(bed.ctx, { id: http.id, clientIpTransport: "PROXY_V2" }), { field: "clientIpTransport", message: /applies only to TCP and UDP backend server groups/ }, () => stored(http.id));
  });
});
