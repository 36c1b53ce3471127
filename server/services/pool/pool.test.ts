import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { healthMonitors, pools, type Algorithm, type PoolProtocol, type StickySessionType } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { addMembers } from "../member/add-members";
import { removeMembers } from "../member/remove-members";
import { createListener } from "../listener/create-listener";
import { backendRowCounts, createTestLoadBalancer } from "../listener/test-fixtures";
import { createPool } from "./create-pool";
import { updatePool } from "./update-pool";
import { deletePool } from "./delete-pool";
import { listPools } from "./list-pools";
import { getPool } from "./get-pool";

let bed: ServiceTestBed;
let lbId: string;
beforeAll(async () => {
  bed = await createServiceTestBed();
  lbId = (await createTestLoadBalancer(bed, "elb-pools")).id;
});
afterAll(async () => {
  await bed?.close();
});

const counts = () => backendRowCounts(bed.ctx.db);
let seq = 0;
const protocols = (): PoolProtocol[] => ["TCP", "UDP", "HTTP"];
const group = (extra: Record<string, unknown> = {}) => ({ loadBalancerId: lbId, name: `server_group-${++seq}`, protocol: "TCP", algorithm: "ROUND_ROBIN", ...extra });

describe("table 10-1: load balancing algorithms × sticky session types", () => {
  // Table 10-1 of the guide, cell by cell: Layer 4 = TCP/UDP backend server groups, Layer 7 = HTTP.
  type Cell = "Supported" | "Not supported" | "N/A";
  const table10_1: Record<Algorithm, Record<StickySessionType, { layer4: Cell; layer7: Cell }>> = {
    ROUND_ROBIN: {
      SOURCE_IP: { layer4: "Supported", layer7: "Not supported" },
      HTTP_COOKIE: { layer4: "N/A", layer7: "Supported" },
      APP_COOKIE: { layer4: "N/A", layer7: "Supported" },
    },
    LEAST_CONNECTIONS: {
      SOURCE_IP: { layer4: "Not supported", layer7: "Not supported" },
      HTTP_COOKIE: { layer4: "N/A", layer7: "Not supported" },
      APP_COOKIE: { layer4: "N/A", layer7: "Not supported" },
    },
    SOURCE_IP: {
      SOURCE_IP: { layer4: "Supported", layer7: "Supported" },
      HTTP_COOKIE: { layer4: "N/A", layer7: "Not supported" },
      APP_COOKIE: { layer4: "N/A", layer7: "Not supported" },
    },
  };
  const algorithms: Algorithm[] = ["ROUND_ROBIN", "LEAST_CONNECTIONS", "SOURCE_IP"];
  const protocols: PoolProtocol[] = ["TCP", "UDP", "HTTP"];
  const types: StickySessionType[] = ["SOURCE_IP", "HTTP_COOKIE", "APP_COOKIE"];

  /** The refusal for an unsupported cell: field and message. */
  function refusal(algorithm: Algorithm, protocol: PoolProtocol): { field: string; message: RegExp } {
    if (algorithm === "LEAST_CONNECTIONS") return { field: "stickySession", message: /Sticky Session: not supported with Weighted least connections \(table 10-1\); turn Sticky Session off/ };
    if (algorithm === "SOURCE_IP") return { field: "stickySession.type", message: /Sticky Session Type: only Source IP address is supported with Source IP hash \(table 10-1\)/ };
    if (protocol === "HTTP")
      return { field: "stickySession.type", message: /Sticky Session Type: choose Load balancer cookie or Application cookie for an HTTP backend server group with Weighted round robin/ };
    return { field: "stickySession.type", message: /Sticky Session Type: Source IP address is the only type for a (TCP|UDP) backend server group with Weighted round robin/ };
  }

  for (const algorithm of algorithms)
    for (const protocol of protocols) {
      it(`${algorithm} / ${protocol}: without Sticky Session is always allowed`, async () => {
        const view = await createPool(bed.ctx, group({ protocol, algorithm }));
        expect(view).toMatchObject({ protocol, algorithm, stickySession: null });
      });
      for (const type of types) {
        const cell = table10_1[algorithm][type][protocol === "HTTP" ? "layer7" : "layer4"];
        it(`${algorithm} / ${protocol} / ${type}: ${cell}`, async () => {
          const input = group({ protocol, algorithm, stickySession: { type, cookieName: "SESSION_ID" } });
          if (cell === "Supported") {
            const view = await createPool(bed.ctx, input);
            // Guide 3.5: a stickiness duration exists only with Weighted round robin (default 20 min).
            const durationMinutes = algorithm === "ROUND_ROBIN" ? 20 : null;
            expect(view.stickySession).toEqual({ type, cookieName: type === "APP_COOKIE" ? "SESSION_ID" : null, durationMinutes });
            const [row] = await bed.ctx.db.select().from(pools).where(eq(pools.id, view.id));
            expect(row).toMatchObject({ stickySessionType: type, stickinessDurationMinutes: durationMinutes });
          } else {
            await expectAppError(() => createPool(bed.ctx, input), { code: "BAD_REQUEST", ...refusal(algorithm, protocol) }, counts);
          }
        });
      }
    }
});

describe("Source IP hash with Sticky Session (table 10-1, guide 3.5)", () => {
  it("takes Source IP address at Layer 4 and Layer 7, without a Stickiness Duration", async () => {
    for (const protocol of protocols()) {
      const view = await createPool(bed.ctx, group({ protocol, algorithm: "SOURCE_IP", stickySession: { type: "SOURCE_IP" } }));
      expect(view).toMatchObject({ protocol, algorithm: "SOURCE_IP", stickySession: { type: "SOURCE_IP", cookieName: null, durationMinutes: null } });
      await expectAppError(
        () => createPool(bed.ctx, group({ protocol, algorithm: "SOURCE_IP", stickySession: { type: "SOURCE_IP", durationMinutes: 30 } })),
        { code: "BAD_REQUEST", field: "stickySession.durationMinutes", message: /Stickiness Duration \(min\): can be set only with Weighted round robin \(guide 3\.5\); leave it empty for Source IP hash/ },
        counts,
      );
    }
  });

  it("Add Listener's new group follows the same rules", async () => {
    const lb = (await createTestLoadBalancer(bed, "elb-pool-siphash")).id;
    const listener = await createListener(bed.ctx, { loadBalancerId: lb, name: "l-http", protocol: "HTTP", port: 80, pool: { mode: "new", name: "by-ip", algorithm: "SOURCE_IP", stickySession: { type: "SOURCE_IP" } } });
    expect((await getPool(bed.ctx, { id: listener.pool!.id })).stickySession).toEqual({ type: "SOURCE_IP", cookieName: null, durationMinutes: null });
    await expectAppError(
      () => createListener(bed.ctx, { loadBalancerId: lb, name: "l-http2", protocol: "HTTP", port: 81, pool: { mode: "new", name: "by-cookie", algorithm: "SOURCE_IP", stickySession: { type: "HTTP_COOKIE" } } }),
      { field: "pool.stickySession.type", message: /Sticky Session Type: only Source IP address is supported with Source IP hash/ },
      counts,
    );
  });

  it("Modify: switching algorithm keeps a Source IP address sticky session and drops or restores the duration", async () => {
    const tcp = await createPool(bed.ctx, group({ protocol: "TCP", stickySession: { type: "SOURCE_IP", durationMinutes: 30 } }));
    const hashed = await updatePool(bed.ctx, { id: tcp.id, algorithm: "SOURCE_IP" });
    expect(hashed).toMatchObject({ algorithm: "SOURCE_IP", stickySession: { type: "SOURCE_IP", durationMinutes: null } });
    await expectAppError(() => updatePool(bed.ctx, { id: tcp.id, stickySession: { type: "SOURCE_IP", durationMinutes: 10 } }), { field: "stickySession.durationMinutes", message: /can be set only with Weighted round robin/ }, () => getPool(bed.ctx, { id: tcp.id }));
    const back = await updatePool(bed.ctx, { id: tcp.id, algorithm: "ROUND_ROBIN" });
    expect(back).toMatchObject({ algorithm: "ROUND_ROBIN", stickySession: { type: "SOURCE_IP", durationMinutes: 20 } });

    const http = await createPool(bed.ctx, group({ protocol: "HTTP", stickySession: { type: "HTTP_COOKIE", durationMinutes: 90 } }));
    await expectAppError(() => updatePool(bed.ctx, { id: http.id, algorithm: "SOURCE_IP" }), { field: "stickySession.type", message: /only Source IP address is supported with Source IP hash/ }, () => getPool(bed.ctx, { id: http.id }));
    const httpHashed = await updatePool(bed.ctx, { id: http.id, algorithm: "SOURCE_IP", stickySession: { type: "SOURCE_IP" } });
    expect(httpHashed).toMatchObject({ algorithm: "SOURCE_IP", stickySession: { type: "SOURCE_IP", cookieName: null, durationMinutes: null } });
    await expectAppError(() => updatePool(bed.ctx, { id: http.id, algorithm: "ROUND_ROBIN" }), { field: "stickySession.type", message: /choose Load balancer cookie or Application cookie for an HTTP backend server group with Weighted round robin/ }, () => getPool(bed.ctx, { id: http.id }));
  });
});

describe("sticky session details (guide 3.5)", () => {
  it("Stickiness Duration: Layer 4 1–60 min, Layer 7 1–1440 min, default 20", async () => {
    const l4 = (minutes: number, protocol = "TCP") => createPool(bed.ctx, group({ protocol, stickySession: { type: "SOURCE_IP", durationMinutes: minutes } }));
    const l7 = (minutes: number) => createPool(bed.ctx, group({ protocol: "HTTP", stickySession: { type: "HTTP_COOKIE", durationMinutes: minutes } }));
    expect((await l4(1)).stickySession?.durationMinutes).toBe(1);
    expect((await l4(60, "UDP")).stickySession?.durationMinutes).toBe(60);
    expect((await l7(1440)).stickySession?.durationMinutes).toBe(1440);
    await expectAppError(() => l4(61), { field: "stickySession.durationMinutes", message: /Stickiness Duration \(min\): must be between 1 and 60 for a TCP backend server group/ }, counts);
    await expectAppError(() => l4(0), { field: "stickySession.durationMinutes", message: /Stickiness Duration \(min\): must be a whole number between 1 and 1440/ }, counts);
    await expectAppError(() => l7(1441), { field: "stickySession.durationMinutes", message: /Stickiness Duration \(min\): must be a whole number between 1 and 1440/ }, counts);
    await expectAppError(() => l7(2.5), { field: "stickySession.durationMinutes", message: /whole number/ }, counts);
  });

  it("Cookie Name: required for Application cookie, 1–64 letters/digits/_/-/.; dropped for other types", async () => {
    const app = (cookieName?: string) => createPool(bed.ctx, group({ protocol: "HTTP", stickySession: { type: "APP_COOKIE", cookieName } }));
    for (const bad of [undefined, "", "has space", "x".repeat(65), "semi;colon"])
      await expectAppError(() => app(bad), { field: "stickySession.cookieName", message: /Cookie Name: required for Application cookie; 1 to 64 characters/ }, counts);
    expect((await app("JSESSIONID")).stickySession).toMatchObject({ type: "APP_COOKIE", cookieName: "JSESSIONID" });
    expect((await app("a.b-c_9".padEnd(64, "x"))).stickySession?.cookieName).toHaveLength(64);
    const lbCookie = await createPool(bed.ctx, group({ protocol: "HTTP", stickySession: { type: "HTTP_COOKIE", cookieName: "ignored" } }));
    const [row] = await bed.ctx.db.select().from(pools).where(eq(pools.id, lbCookie.id));
    expect(row).toMatchObject({ stickySessionType: "HTTP_COOKIE", cookieName: null, stickinessDurationMinutes: 20 });
  });

  it("stores all sticky columns as null when Sticky Session is off", async () => {
    const view = await createPool(bed.ctx, group({ stickySession: null }));
    const [row] = await bed.ctx.db.select().from(pools).where(eq(pools.id, view.id));
    expect(row).toMatchObject({ stickySessionType: null, cookieName: null, stickinessDurationMinutes: null });
  });
});

describe("Add Backend Server Group (table 4-1)", () => {
  it("validates each field by name and writes nothing on bad input", async () => {
    await expectAppError(() => createPool(bed.ctx, group({ name: "" })), { field: "name", message: /Name: enter 1 to 64 characters/ }, counts);
    await expectAppError(() => createPool(bed.ctx, group({ name: "a b" })), { field: "name", message: /only letters, digits/ }, counts);
    await expectAppError(() => createPool(bed.ctx, group({ protocol: "HTTPS" })), { field: "protocol", message: /Backend Protocol: choose TCP, UDP or HTTP/ }, counts);
    await expectAppError(() => createPool(bed.ctx, group({ algorithm: "RANDOM" })), { field: "algorithm", message: /Load Balancing Algorithm: choose Weighted round robin, Weighted least connections or Source IP hash/ }, counts);
    await expectAppError(() => createPool(bed.ctx, group({ description: "x".repeat(256) })), { field: "description", message: /Description: can contain at most 255/ }, counts);
    await expectAppError(() => createPool(bed.ctx, group({ loadBalancerId: "nope" })), { code: "NOT_FOUND", message: /Load balancer not found/ }, counts);
  });

  it("creates the group and its health check together, or neither", async () => {
    const view = await createPool(bed.ctx, group({ protocol: "HTTP", healthMonitor: { protocol: "HTTP", path: "/index.html", domainName: "www.elb.com", intervalSeconds: 10, timeoutSeconds: 4, maxRetries: 5, port: 8080 } }));
    expect(view.healthMonitor).toMatchObject({ enabled: true, protocol: "HTTP", path: "/index.html", domainName: "www.elb.com", intervalSeconds: 10, timeoutSeconds: 4, maxRetries: 5, port: 8080 });
    await expectAppError(() => createPool(bed.ctx, group({ protocol: "UDP", healthMonitor: { protocol: "TCP" } })), { field: "healthMonitor.protocol", message: /UDP backend server group is checked with UDP/ }, counts);
    await expectAppError(() => createPool(bed.ctx, group({ healthMonitor: { maxRetries: 11 } })), { field: "healthMonitor.maxRetries", message: /Maximum Retries: must be a whole number between 1 and 10/ }, counts);
  });

  it("lists groups with their listener, server count and health check; get returns one", async () => {
    const lb = (await createTestLoadBalancer(bed, "elb-pool-list")).id;
    const listener = await createListener(bed.ctx, { loadBalancerId: lb, name: "l-80", protocol: "TCP", port: 80, pool: { mode: "new", name: "used", algorithm: "ROUND_ROBIN" } });
    const free = await createPool(bed.ctx, { loadBalancerId: lb, name: "free", protocol: "UDP", algorithm: "SOURCE_IP", healthMonitor: {} });
    await addMembers(bed.ctx, { poolId: free.id, members: [{ address: "10.0.0.1", port: 53 }, { address: "10.0.0.2", port: 53 }] });
    const listed = await listPools(bed.ctx, { loadBalancerId: lb });
    expect(listed.map((p) => [p.name, p.listener?.name ?? null, p.memberCount, p.healthMonitor?.protocol ?? null])).toEqual([
      ["used", "l-80", 0, null],
      ["free", null, 2, "UDP"],
    ]);
    expect(listener.pool?.name).toBe("used");
    expect((await getPool(bed.ctx, { id: free.id })).name).toBe("free");
    await expect(getPool(bed.ctx, { id: "missing" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("Modify a backend server group", () => {
  it("changes name, description, algorithm and sticky session; keeps the protocol", async () => {
    const view = await createPool(bed.ctx, group({ protocol: "TCP", stickySession: { type: "SOURCE_IP", durationMinutes: 30 } }));
    const renamed = await updatePool(bed.ctx, { id: view.id, name: "renamed", description: "d", protocol: "HTTP" });
    expect(renamed).toMatchObject({ name: "renamed", description: "d", protocol: "TCP", stickySession: { type: "SOURCE_IP", durationMinutes: 30 } });
    // Table 10-1 holds against the result: switching algorithm while Sticky Session is on is refused…
    await expectAppError(() => updatePool(bed.ctx, { id: view.id, algorithm: "LEAST_CONNECTIONS" }), { field: "stickySession", message: /not supported with Weighted least connections/ }, () => getPool(bed.ctx, { id: view.id }));
    // …and allowed together with turning it off.
    const wlc = await updatePool(bed.ctx, { id: view.id, algorithm: "LEAST_CONNECTIONS", stickySession: null });
    expect(wlc).toMatchObject({ algorithm: "LEAST_CONNECTIONS", stickySession: null });
    const [row] = await bed.ctx.db.select().from(pools).where(eq(pools.id, view.id));
    expect(row).toMatchObject({ stickySessionType: null, cookieName: null, stickinessDurationMinutes: null });
    await expectAppError(() => updatePool(bed.ctx, { id: view.id, algorithm: "ROUND_ROBIN", stickySession: { type: "HTTP_COOKIE" } }), { field: "stickySession.type", message: /Source IP address is the only type for a TCP/ }, () => getPool(bed.ctx, { id: view.id }));
    await expectAppError(() => updatePool(bed.ctx, { id: view.id, algorithm: "ROUND_ROBIN", stickySession: { type: "SOURCE_IP", durationMinutes: 61 } }), { field: "stickySession.durationMinutes", message: /between 1 and 60/ }, () => getPool(bed.ctx, { id: view.id }));
    await expectAppError(() => updatePool(bed.ctx, { id: "missing", name: "x" }), { code: "NOT_FOUND", message: /Backend Server Group: not found/ }, counts);
  });
});

describe("Delete a backend server group", () => {
  it("is refused while a listener uses it or it has backend servers; then deletes it with its health check", async () => {
    const lb = (await createTestLoadBalancer(bed, "elb-pool-delete")).id;
    const listener = await createListener(bed.ctx, { loadBalancerId: lb, name: "uses-it", protocol: "HTTP", port: 80, pool: { mode: "new", name: "in-use", algorithm: "ROUND_ROBIN" } });
    await expectAppError(() => deletePool(bed.ctx, { id: listener.pool!.id }), { code: "PRECONDITION_FAILED", message: /in-use cannot be deleted: listener uses-it uses it/ }, counts);
    const free = await createPool(bed.ctx, { loadBalancerId: lb, name: "with-servers", protocol: "TCP", algorithm: "ROUND_ROBIN", healthMonitor: {} });
    const added = await addMembers(bed.ctx, { poolId: free.id, members: [{ address: "10.1.1.1", port: 80 }] });
    await expectAppError(() => deletePool(bed.ctx, { id: free.id }), { code: "PRECONDITION_FAILED", message: /with-servers cannot be deleted: it has 1 backend server\(s\); remove the backend servers first/ }, counts);
    await removeMembers(bed.ctx, { poolId: free.id, ids: added.members.map((m) => m.id) });
    expect(await deletePool(bed.ctx, { id: free.id })).toEqual({ id: free.id, name: "with-servers" });
    expect(await bed.ctx.db.select().from(healthMonitors).where(eq(healthMonitors.poolId, free.id))).toEqual([]);
    expect((await listPools(bed.ctx, { loadBalancerId: lb })).map((p) => p.name)).toEqual(["in-use"]);
  });
});
