import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { accessLogStreamFolder } from "@/engine/protocol/access-log-files";
import { eipPools, eips, loadBalancers } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { createListener } from "../listener/create-listener";
import { createTestLoadBalancer, newListenerInput } from "../listener/test-fixtures";
import { createLogGroup } from "../log-group/create-log-group";
import { updateLogGroup } from "../log-group/update-log-group";
import { deleteLogGroup } from "../log-group/delete-log-group";
import { createLogStream } from "../log-stream/create-log-stream";
import { updateLogStream } from "../log-stream/update-log-stream";
import { loadConfigRows } from "../../control-plane/load-config-rows";
import { compileSnapshot } from "../../control-plane/compile";
import { testLine, writeTestFile } from "../../access-logs/test-lines";
import { configureAccessLog, disableAccessLog } from "./configure-access-log";
import { searchAccessLogs } from "./search-access-logs";
import { downloadAccessLogs } from "./download-access-logs";

/** A load balancer's access logs on a real database: the compiled snapshot after Configure Access Log, and the tab's search. */
let bed: ServiceTestBed;
const stateDir = mkdtempSync(path.join(os.tmpdir(), "elb-access-svc-"));
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

const H = 3_600_000;
const NOW = Date.UTC(2026, 11, 1, 12, 30);
const snapshotOf = async () => compileSnapshot(await loadConfigRows(bed.ctx.db), 1, "epoch", new Date(0)).snapshot;
const lbRows = () => bed.ctx.db.select().from(loadBalancers);

describe("Configure Access Log → snapshot", () => {
  it("compiles accessLog into the HTTP/HTTPS listeners while enabled, follows group and stream changes, keeps the group's retention when disabled, and drops it when the group is deleted", async () => {
    const lb = await createTestLoadBalancer(bed, "elb-snap");
    const http = await createListener(bed.ctx, newListenerInput(lb.id, "HTTP", 80));
    const tcp = await createListener(bed.ctx, newListenerInput(lb.id, "TCP", 9000));
    const [pool] = await bed.ctx.db.insert(eipPools).values({ regionId: bed.ctx.scope.regionId, name: "pool-al", cidr: "127.30.0.0/24" }).returning();
    await bed.ctx.db.insert(eips).values({ poolId: pool!.id, projectId: bed.ctx.scope.projectId, address: "127.30.0.9", type: "dynamic_bgp", bandwidthMbit: 5, loadBalancerId: lb.id });
    const before = await snapshotOf();
    expect(before.accessLogGroups).toEqual([]);
    const group = await createLogGroup(bed.ctx, { name: "lg-snap", retentionDays: 2, maxSizeMegabytes: 3 });
    const withGroup = await snapshotOf(); // every log group's retention is in the snapshot, logged into or not
    expect(withGroup.accessLogGroups).toEqual([{ groupId: group.id, retentionDays: 2, maxBytes: 3 * 1024 * 1024 }]);
    expect(withGroup.hash).not.toBe(before.hash);
    const stream = await createLogStream(bed.ctx, { groupId: group.id, name: "ls-snap", syslog: { protocol: "UDP", host: "127.0.0.1", port: 5514 } });
    expect((await snapshotOf()).hash).toBe(withGroup.hash); // a stream nobody logs into changes nothing
    await configureAccessLog(bed.ctx, { loadBalancerId: lb.id, logStreamId: stream.id });
    const on = await snapshotOf();
    const listener = (id: string) => on.listeners.find((l) => l.id === id)!;
    expect(listener(http.id).accessLog).toEqual({
      streamId: stream.id,
      groupId: group.id,
      tenantId: bed.ctx.scope.projectId,
      eipAddress: "127.30.0.9",
      retentionDays: 2,
      maxBytes: 3 * 1024 * 1024,
      syslog: { protocol: "UDP", host: "127.0.0.1", port: 5514 },
    });
    expect(listener(tcp.id).accessLog).toBeUndefined();
    await updateLogGroup(bed.ctx, { id: group.id, retentionDays: 9 });
    await updateLogStream(bed.ctx, { id: stream.id, syslog: null });
    expect((await snapshotOf()).listeners.find((l) => l.id === http.id)!.accessLog).toMatchObject({ retentionDays: 9, syslog: null });
    await disableAccessLog(bed.ctx, { loadBalancerId: lb.id });
    const off = await snapshotOf();
    expect(JSON.stringify(off.listeners)).not.toContain("accessLog");
    expect(off.accessLogGroups).toEqual([{ groupId: group.id, retentionDays: 9, maxBytes: 3 * 1024 * 1024 }]); // its files still age out
    await updateLogGroup(bed.ctx, { id: group.id, retentionDays: 2 });
    expect((await snapshotOf()).hash).toBe(withGroup.hash);
    await bed.ctx.db.update(loadBalancers).set({ accessLogStreamId: null }).where(eq(loadBalancers.id, lb.id)); // a disabled load balancer keeps its stream selected: deleting the group is refused until then
    await deleteLogGroup(bed.ctx, { id: group.id });
    const deleted = await snapshotOf(); // no longer listed: the engine deletes its folder
    expect([deleted.accessLogGroups, deleted.hash]).toEqual([[], before.hash]);
  });
});

describe("two load balancers logging into one stream", () => {
  it("each one's search and download see only its own records (lb_name), not the other's", async () => {
    const a = await createTestLoadBalancer(bed, "elb-shared-a");
    const b = await createTestLoadBalancer(bed, "elb-shared-b");
    const group = await createLogGroup(bed.ctx, { name: "lg-shared", retentionDays: 1 });
    const stream = await createLogStream(bed.ctx, { groupId: group.id, name: "ls-shared" });
    await configureAccessLog(bed.ctx, { loadBalancerId: a.id, logStreamId: stream.id });
    await configureAccessLog(bed.ctx, { loadBalancerId: b.id, logStreamId: stream.id });
    const hour = Math.floor(NOW / H) * H;
    // One worker file of the hour, the two load balancers' requests interleaved: a's paths /a/<i>, b's /b/<i>.
    const lines = Array.from({ length: 10 }, (_, i) => {
      const lb = i % 2 === 0 ? a : b;
      return testLine({ ms: hour + i * 60_000, status: 200, path: `/${lb === a ? "a" : "b"}/${i}`, loadBalancerId: lb.id }, stream.id);
    });
    writeTestFile(accessLogStreamFolder(stateDir, group.id, stream.id), hour, 0, lines);
    for (const [lb, prefix] of [[a, "/a/"], [b, "/b/"]] as const) {
      const page = await searchAccessLogs(bed.ctx, { loadBalancerId: lb.id, pageSize: 100 }, { now: NOW, stateDir });
      expect(page.records).toHaveLength(5);
      for (const r of page.records) expect([r.entry.lbName, r.entry.routerRequestUri.startsWith(prefix)]).toEqual([`loadbalancer_${lb.id}`, true]);
      const file = await downloadAccessLogs(bed.ctx, { loadBalancerId: lb.id }, { now: NOW, stateDir });
      let text = "";
      for await (const chunk of file.chunks) text += chunk;
      expect(text).toBe(lines.filter((line) => line.includes(` loadbalancer_${lb.id} `)).join(""));
    }
  });
});

describe("searchAccessLogs", () => {
  let lbId: string;
  let folder: string;
  beforeAll(async () => {
    lbId = (await createTestLoadBalancer(bed, "elb-search")).id;
    const group = await createLogGroup(bed.ctx, { name: "lg-search", retentionDays: 1 });
    const stream = await createLogStream(bed.ctx, { groupId: group.id, name: "ls-search" });
    await configureAccessLog(bed.ctx, { loadBalancerId: lbId, logStreamId: stream.id });
    folder = accessLogStreamFolder(stateDir, group.id, stream.id);
    const hour = Math.floor(NOW / H) * H;
    // The last 2 hours: one record a minute; 12:05 is a 404 of /missing from 192.0.2.9.
    const lines = (start: number, n: number) =>
      Array.from({ length: n }, (_, i) => {
        const ms = start + i * 60_000;
        return testLine(ms === hour + 5 * 60_000 ? { ms, status: 404, path: "/missing", clientIp: "192.0.2.9", loadBalancerId: lbId } : { ms, status: 200, path: `/p/${i}`, loadBalancerId: lbId }, stream.id);
      });
    writeTestFile(folder, hour - H, 0, lines(hour - H, 60), { gzip: true });
    writeTestFile(folder, hour, 0, lines(hour, 31));
  });
  const search = (input: object) => searchAccessLogs(bed.ctx, { loadBalancerId: lbId, ...input }, { now: NOW, stateDir });

  it("searches the last hour by default, newest first, and pages older", async () => {
    const page = await search({ pageSize: 20 });
    expect([page.fromMs, page.toMs]).toEqual([NOW - H, NOW]);
    expect(page.settings).toMatchObject({ enabled: true, logStream: { name: "ls-search" } });
    expect(page.records[0]!.entry.msec * 1000).toBe(NOW);
    const seen = page.records.map((r) => r.entry.msec * 1000);
    for (let cursor = page.olderCursor; cursor; ) {
      const older = await search({ pageSize: 20, cursor });
      seen.push(...older.records.map((r) => r.entry.msec * 1000));
      cursor = older.olderCursor;
    }
    // 11:30 to 12:30 inclusive, one a minute: 61 records in 4 pages, none twice.
    expect(seen).toEqual(Array.from({ length: 61 }, (_, i) => NOW - i * 60_000));
  });

  it("finds a request by path, status, client IP and text; refuses bad filters naming the field", async () => {
    const from = NOW - 2 * H;
    for (const filter of [{ path: "/missing" }, { status: "4xx" }, { clientIp: "192.0.2.9" }, { text: "/MISSING" }]) {
      const page = await search({ from, ...filter });
      expect(page.records.map((r) => [r.entry.status, r.entry.routerRequestUri])).toEqual([[404, "/missing"]]);
    }
    await expectAppError(() => search({ status: "6xx" }), { code: "BAD_REQUEST", field: "status", message: /^Status: 6xx is neither a code from 100 to 599/ }, lbRows);
    await expectAppError(() => search({ clientIp: "300.1.1.1" }), { field: "clientIp", message: /^Client IP: enter an IPv4 or IPv6 address$/ }, lbRows);
    await expectAppError(() => search({ path: "api" }), { field: "path", message: /^Path: must start with a slash/ }, lbRows);
    await expectAppError(() => search({ from: NOW, to: NOW - 1 }), { field: "from", message: /^From: must be before To$/ }, lbRows);
    await expectAppError(() => search({ from: NOW - 25 * H }), { field: "from", message: /^From: can be at most 1 day ago \(the log group's retention\)/ }, lbRows);
    await expectAppError(() => search({ pageSize: 101 }), { field: "pageSize", message: /^Page size: must be a whole number between 1 and 100$/ }, lbRows);
    await expectAppError(() => search({ cursor: "x" }), { field: "cursor", message: /^Cursor: not a page/ }, lbRows);
    await expectAppError(() => searchAccessLogs(bed.ctx, { loadBalancerId: "nope" }, { now: NOW, stateDir }), { code: "NOT_FOUND", field: "loadBalancerId", message: /^Load balancer not found$/ }, lbRows);
  });

  it("downloads the selection's raw lines oldest first; a load balancer without a stream has none", async () => {
    const file = await downloadAccessLogs(bed.ctx, { loadBalancerId: lbId, from: NOW - 10 * 60_000, status: "2xx" }, { now: NOW, stateDir });
    expect(file.fileName).toBe("access-log_elb-search_20261201T122000Z-20261201T123000Z.log");
    let text = "";
    for await (const chunk of file.chunks) text += chunk;
    const times = text.trimEnd().split("\n").map((line) => Math.round(parseFloat(line) * 1000));
    expect(times).toEqual(Array.from({ length: 11 }, (_, i) => NOW - (10 - i) * 60_000));
    const bare = await createTestLoadBalancer(bed, "elb-no-logs");
    expect((await searchAccessLogs(bed.ctx, { loadBalancerId: bare.id }, { now: NOW, stateDir })).records).toEqual([]);
    await bed.ctx.db.update(loadBalancers).set({ accessLogEnabled: false }).where(eq(loadBalancers.id, lbId));
    expect((await search({ pageSize: 1 })).records).toHaveLength(1); // logging off: the stream's records stay searchable
  });
});
