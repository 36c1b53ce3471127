import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { healthMonitors, listeners, pools, projects } from "@/db/schema";
import { DEFAULT_LISTENER_QUOTA } from "@/db/schema/projects";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { createPool } from "../pool/create-pool";
import { addMembers } from "../member/add-members";
import { removeMembers } from "../member/remove-members";
import { createListener } from "./create-listener";
import { updateListener } from "./update-listener";
import { deleteListener } from "./delete-listener";
import { listListeners } from "./list-listeners";
import { backendRowCounts, createTestLoadBalancer, newListenerInput } from "./test-fixtures";
import { fixedEngineView } from "../../control-plane/engine-view";

let bed: ServiceTestBed;
let lbId: string;
let otherLbId: string;
beforeAll(async () => {
  bed = await createServiceTestBed();
  lbId = (await createTestLoadBalancer(bed, "elb-listeners")).id;
  otherLbId = (await createTestLoadBalancer(bed, "elb-other")).id;
});
afterAll(async () => {
  await bed?.close();
});

const counts = () => backendRowCounts(bed.ctx.db);
const add = (input: unknown) => createListener(bed.ctx, input);

describe("Add Listener: one flow, one transaction", () => {
  it("creates the listener, a new backend server group with the matching protocol and its default health check", async () => {
    const view = await add({ ...newListenerInput(lbId, "TCP", 80), name: "listener-pnqy", description: "web" });
    expect(view).toMatchObject({ name: "listener-pnqy", protocol: "TCP", port: 80, description: "web", pool: { name: "server_group-80", protocol: "TCP", algorithm: "ROUND_ROBIN" }, healthCheck: { enabled: true, protocol: "TCP" } });
    const [row] = await bed.ctx.db.select().from(listeners).where(eq(listeners.id, view.id));
    expect(row).toMatchObject({ portClass: "STREAM", idleTimeoutSeconds: 300, defaultPoolId: view.pool!.id });
    const [monitor] = await bed.ctx.db.select().from(healthMonitors).where(eq(healthMonitors.poolId, view.pool!.id));
    expect(monitor).toMatchObject({ enabled: true, protocol: "TCP", intervalSeconds: 5, timeoutSeconds: 3, maxRetries: 3, path: "/", domainName: null, port: null, expectedCodes: [200, 202, 401] });
  });

  it("gives HTTP listeners an HTTP group, an HTTP check and a 60 s keep-alive idle timeout", async () => {
    const view = await add(newListenerInput(lbId, "HTTP", 8080, { pool: { mode: "new", name: "web", algorithm: "ROUND_ROBIN", stickySession: { type: "HTTP_COOKIE" }, healthMonitor: { path: "/health", domainName: "www.elb.com" } } }));
    expect(view.pool?.protocol).toBe("HTTP");
    expect(view.healthCheck?.protocol).toBe("HTTP");
    const [row] = await bed.ctx.db.select().from(listeners).where(eq(listeners.id, view.id));
    expect(row?.idleTimeoutSeconds).toBe(60);
    const [pool] = await bed.ctx.db.select().from(pools).where(eq(pools.id, view.pool!.id));
    expect(pool).toMatchObject({ stickySessionType: "HTTP_COOKIE", stickinessDurationMinutes: 20, cookieName: null });
  });

  it("creates a listener without a health check when Enable Health Check is off", async () => {
    const view = await add(newListenerInput(lbId, "UDP", 5353, { pool: { mode: "new", name: "dns", algorithm: "SOURCE_IP", healthMonitor: null } }));
    expect(view).toMatchObject({ protocol: "UDP", pool: { protocol: "UDP", algorithm: "SOURCE_IP" }, healthCheck: null });
  });

  it("refuses a backend protocol that does not match the frontend protocol", async () => {
    await expectAppError(() => add(newListenerInput(lbId, "TCP", 81, { pool: { mode: "new", name: "g", algorithm: "ROUND_ROBIN", protocol: "UDP" } })), { field: "pool.protocol", message: /Backend Protocol: must be TCP for a TCP listener/ }, counts);
    await expectAppError(() => add(newListenerInput(lbId, "HTTP", 81, { pool: { mode: "new", name: "g", algorithm: "ROUND_ROBIN", protocol: "TCP" } })), { field: "pool.protocol", message: /must be HTTP/ }, counts);
  });

  it("refuses a bad health check step and writes nothing (UDP groups are checked with UDP)", async () => {
    await expectAppError(() => add(newListenerInput(lbId, "UDP", 82, { pool: { mode: "new", name: "g", algorithm: "ROUND_ROBIN", healthMonitor: { protocol: "HTTP" } } })), { field: "pool.healthMonitor.protocol", message: /UDP backend server group is checked with UDP/ }, counts);
    await expectAppError(() => add(newListenerInput(lbId, "TCP", 82, { pool: { mode: "new", name: "g", algorithm: "ROUND_ROBIN", healthMonitor: { intervalSeconds: 51 } } })), { field: "pool.healthMonitor.intervalSeconds", message: /Interval \(s\): must be a whole number between 1 and 50/ }, counts);
  });

  it("refuses a bad sticky session in the group step (table 10-1)", async () => {
    await expectAppError(() => add(newListenerInput(lbId, "HTTP", 83, { pool: { mode: "new", name: "g", algorithm: "ROUND_ROBIN", stickySession: { type: "APP_COOKIE" } } })), { field: "pool.stickySession.cookieName", message: /Cookie Name: required for Application cookie/ }, counts);
    await expectAppError(() => add(newListenerInput(lbId, "TCP", 83, { pool: { mode: "new", name: "g", algorithm: "LEAST_CONNECTIONS", stickySession: { type: "SOURCE_IP" } } })), { field: "pool.stickySession", message: /not supported with Weighted least connections/ }, counts);
  });

  it("validates name, protocol and port, naming the field", async () => {
    await expectAppError(() => add({ ...newListenerInput(lbId, "TCP", 84), name: "" }), { field: "name", message: /Name: enter 1 to 64 characters/ }, counts);
    await expectAppError(() => add({ ...newListenerInput(lbId, "TCP", 84), name: "bad name!" }), { field: "name", message: /only letters, digits/ }, counts);
    await expectAppError(() => add({ ...newListenerInput(lbId, "TCP", 84), protocol: "QUIC" }), { field: "protocol", message: /^Frontend Protocol: choose TCP, UDP, HTTP or HTTPS$/ }, counts);
    for (const port of [0, 65536, 80.5, -1])
      await expectAppError(() => add(newListenerInput(lbId, "TCP", port)), { field: "port", message: /Frontend Port: must be a whole number between 1 and 65535/ }, counts);
    await expectAppError(() => add({ ...newListenerInput(lbId, "TCP", 84), port: "84" }), { field: "port", message: /Frontend Port: enter a number between 1 and 65535/ }, counts);
    await expectAppError(() => add({ ...newListenerInput(lbId, "TCP", 84), description: "<b>" }), { field: "description", message: /angle brackets/ }, counts);
    await expectAppError(() => add({ ...newListenerInput(lbId, "TCP", 84), pool: { mode: "maybe" } }), { field: "pool.mode", message: /Create new or Use existing/ }, counts);
  });

  it("accepts the port range ends 1 and 65535", async () => {
    expect((await add(newListenerInput(otherLbId, "TCP", 1))).port).toBe(1);
    expect((await add(newListenerInput(otherLbId, "TCP", 65535))).port).toBe(65535);
  });

  it("refuses an unknown load balancer", async () => {
    await expectAppError(() => add(newListenerInput("no-such-lb", "TCP", 85)), { code: "NOT_FOUND", message: /Load balancer not found/ }, counts);
  });
});

describe("Frontend ports (guide 3.2)", () => {
  it("keeps TCP, HTTP and HTTPS ports unique, lets UDP share them, and refuses same-protocol duplicates", async () => {
    const lb = (await createTestLoadBalancer(bed, "elb-ports")).id;
    await add(newListenerInput(lb, "TCP", 80));
    await expectAppError(() => add(newListenerInput(lb, "TCP", 80)), { code: "CONFLICT", field: "port", message: /Frontend Port: 80 is already used by TCP listener listener-tcp-80\. Listeners of the same protocol/ }, counts);
    await expectAppError(() => add(newListenerInput(lb, "HTTP", 80)), { code: "CONFLICT", field: "port", message: /Frontend Port: 80 is already used by TCP listener .*only UDP may share a port/ }, counts);
    const udp = await add(newListenerInput(lb, "UDP", 80));
    expect(udp).toMatchObject({ protocol: "UDP", port: 80 });
    await expectAppError(() => add(newListenerInput(lb, "UDP", 80)), { code: "CONFLICT", field: "port", message: /already used by UDP listener/ }, counts);
    await add(newListenerInput(lb, "HTTP", 443));
    await expectAppError(() => add(newListenerInput(lb, "TCP", 443)), { code: "CONFLICT", field: "port", message: /already used by HTTP listener/ }, counts);
    // Another load balancer has its own ports.
    const elsewhere = (await createTestLoadBalancer(bed, "elb-ports-2")).id;
    expect((await add(newListenerInput(elsewhere, "HTTP", 80))).port).toBe(80);
  });
});

describe("Use existing backend server group", () => {
  it("takes an unassociated group of the same load balancer with the matching protocol", async () => {
    const lb = (await createTestLoadBalancer(bed, "elb-existing")).id;
    const group = await createPool(bed.ctx, { loadBalancerId: lb, name: "shared-tcp", protocol: "TCP", algorithm: "LEAST_CONNECTIONS" });
    const httpGroup = await createPool(bed.ctx, { loadBalancerId: lb, name: "http-group", protocol: "HTTP", algorithm: "ROUND_ROBIN" });
    const foreign = await createPool(bed.ctx, { loadBalancerId: otherLbId, name: "foreign", protocol: "TCP", algorithm: "ROUND_ROBIN" });
    const existing = (poolId: string, port: number, protocol: "TCP" | "UDP" | "HTTP" = "TCP") => add({ loadBalancerId: lb, name: `l-${port}`, protocol, port, pool: { mode: "existing", poolId } });
    await expectAppError(() => existing(httpGroup.id, 90), { field: "pool.poolId", message: /http-group uses HTTP; a TCP listener needs a TCP backend server group/ }, counts);
    await expectAppError(() => existing(foreign.id, 90), { code: "NOT_FOUND", field: "pool.poolId", message: /not found on this load balancer/ }, counts);
    await expectAppError(() => existing("", 90), { field: "pool.poolId", message: /select an existing backend server group/ }, counts);
    const listener = await existing(group.id, 90);
    expect(listener.pool).toMatchObject({ id: group.id, name: "shared-tcp" });
    await expectAppError(() => existing(group.id, 91), { code: "CONFLICT", field: "pool.poolId", message: /shared-tcp is already used by listener l-90/ }, counts);
  });
});

describe("listener quota", () => {
  it("counts listeners of every load balancer of the project and refuses beyond the quota", async () => {
    const total = (await counts()).listeners;
    await bed.ctx.db.update(projects).set({ listenerQuota: total + 1 }).where(eq(projects.id, bed.ctx.scope.projectId));
    try {
      await add(newListenerInput(otherLbId, "TCP", 2000));
      await expectAppError(() => add(newListenerInput(lbId, "TCP", 2001)), { code: "QUOTA_EXCEEDED", message: new RegExp(`at most ${total + 1} listeners across all its load balancers`) }, counts);
    } finally {
      await bed.ctx.db.update(projects).set({ listenerQuota: DEFAULT_LISTENER_QUOTA }).where(eq(projects.id, bed.ctx.scope.projectId));
    }
  });
});

describe("Modify and Delete (guide 3.7)", () => {
  it("changes name, description and backend server group; protocol and port stay", async () => {
    const lb = (await createTestLoadBalancer(bed, "elb-modify")).id;
    const listener = await add(newListenerInput(lb, "TCP", 3000));
    const spare = await createPool(bed.ctx, { loadBalancerId: lb, name: "spare", protocol: "TCP", algorithm: "ROUND_ROBIN" });
    const udpSpare = await createPool(bed.ctx, { loadBalancerId: lb, name: "udp-spare", protocol: "UDP", algorithm: "ROUND_ROBIN" });
    const other = await add(newListenerInput(lb, "TCP", 3001));
    const updated = await updateListener(bed.ctx, { id: listener.id, name: "renamed", description: "new text", defaultPoolId: spare.id, port: 9999, protocol: "UDP" });
    expect(updated).toMatchObject({ name: "renamed", description: "new text", port: 3000, protocol: "TCP", pool: { id: spare.id } });
    await expectAppError(() => updateListener(bed.ctx, { id: listener.id, defaultPoolId: other.pool!.id }), { code: "CONFLICT", field: "defaultPoolId", message: /already used by listener listener-tcp-3001/ }, counts);
    await expectAppError(() => updateListener(bed.ctx, { id: listener.id, defaultPoolId: udpSpare.id }), { field: "defaultPoolId", message: /a TCP listener needs a TCP backend server group/ }, counts);
    await expectAppError(() => updateListener(bed.ctx, { id: listener.id, name: "x".repeat(65) }), { field: "name", message: /at most 64/ }, async () => (await listListeners(bed.ctx, { loadBalancerId: lb })).map((l) => l.name));
    // Keeping its own group is fine.
    expect((await updateListener(bed.ctx, { id: listener.id, defaultPoolId: spare.id })).pool?.id).toBe(spare.id);
  });

  it("refuses delete while the group has backend servers, then deletes listener, group and health check together", async () => {
    const lb = (await createTestLoadBalancer(bed, "elb-delete")).id;
    const listener = await add(newListenerInput(lb, "HTTP", 80));
    const added = await addMembers(bed.ctx, { poolId: listener.pool!.id, members: [{ address: "127.0.0.1", port: 8081 }] });
    await expectAppError(() => deleteListener(bed.ctx, { id: listener.id }), { code: "PRECONDITION_FAILED", message: /Listener listener-http-80 cannot be deleted: its backend server group server_group-80 still has 1 backend server\(s\); remove the backend servers first/ }, counts);
    await removeMembers(bed.ctx, { poolId: listener.pool!.id, ids: added.members.map((m) => m.id) });
    const before = await counts();
    const result = await deleteListener(bed.ctx, { id: listener.id });
    expect(result).toMatchObject({ id: listener.id, name: "listener-http-80", deletedPoolId: listener.pool!.id });
    expect(await counts()).toEqual({ ...before, listeners: before.listeners - 1, pools: before.pools - 1, healthMonitors: before.healthMonitors - 1 });
    expect(await bed.ctx.db.select().from(pools).where(eq(pools.id, listener.pool!.id))).toEqual([]);
    await expectAppError(() => deleteListener(bed.ctx, { id: listener.id }), { code: "NOT_FOUND", message: /Listener: not found/ }, counts);
  });

  it("lists listeners in port order and hides other projects' listeners", async () => {
    const lb = (await createTestLoadBalancer(bed, "elb-list")).id;
    await add(newListenerInput(lb, "TCP", 9000));
    await add(newListenerInput(lb, "UDP", 53));
    const listed = await listListeners(bed.ctx, { loadBalancerId: lb });
    expect(listed.map((l) => `${l.protocol}/${l.port}`)).toEqual(["UDP/53", "TCP/9000"]);
    expect(listed.map((l) => l.engineError)).toEqual([null, null]);
    // A listener the engine could not start (e.g. bind refused) carries the engine's message.
    const withError = await listListeners({ ...bed.ctx, engine: fixedEngineView({ listenerErrors: { [listed[1]!.id]: "listen EACCES 127.10.0.9:9000" } }) }, { loadBalancerId: lb });
    expect(withError.map((l) => l.engineError)).toEqual([null, "listen EACCES 127.10.0.9:9000"]);
    const [project] = await bed.ctx.db.insert(projects).values({ name: "elsewhere" }).returning();
    const outsider = { ...bed.ctx, scope: { ...bed.ctx.scope, projectId: project!.id } };
    expect(await listListeners(outsider, { loadBalancerId: lb })).toEqual([]);
    await expectAppError(() => deleteListener(outsider, { id: listed[0]!.id }), { code: "NOT_FOUND", message: /Listener: not found/ }, counts);
    await expectAppError(() => updateListener(outsider, { id: listed[0]!.id, name: "stolen" }), { code: "NOT_FOUND", message: /Listener: not found/ }, counts);
  });
});
