import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logGroups, logStreams, projects } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { createTestLoadBalancer } from "../listener/test-fixtures";
import { configureAccessLog, disableAccessLog } from "../access-log/configure-access-log";
import { getAccessLog } from "../access-log/get-access-log";
import { createLogStream } from "../log-stream/create-log-stream";
import { updateLogStream } from "../log-stream/update-log-stream";
import { deleteLogStream } from "../log-stream/delete-log-stream";
import { listLogStreams } from "../log-stream/list-log-streams";
import { createLogGroup } from "./create-log-group";
import { updateLogGroup } from "./update-log-group";
import { deleteLogGroup } from "./delete-log-group";
import { listLogGroups } from "./list-log-groups";

/** Log Management (guide chapter 7): log groups, log streams, and Configure Access Log on a load balancer. */
let bed: ServiceTestBed;
let changes = 0;
beforeAll(async () => {
  bed = await createServiceTestBed();
  bed.onConfigChanged(() => changes++);
});
afterAll(async () => {
  await bed?.close();
});

const groupRows = () => bed.ctx.db.select().from(logGroups);
const streamRows = () => bed.ctx.db.select().from(logStreams);
const allRows = async () => ({ groups: await groupRows(), streams: await streamRows() });

describe("Create Log Group", () => {
  it("creates with the defaults (7 days, 10 240 MiB), modifies and lists by name", async () => {
    const created = await createLogGroup(bed.ctx, { name: "lg-web" });
    expect(created).toMatchObject({ name: "lg-web", retentionDays: 7, maxSizeMegabytes: 10_240, streamCount: 0 });
    changes = 0;
    const updated = await updateLogGroup(bed.ctx, { id: created.id, retentionDays: 30, maxSizeMegabytes: 64 });
    expect(updated).toMatchObject({ name: "lg-web", retentionDays: 30, maxSizeMegabytes: 64 });
    expect(changes).toBe(1); // retention reaches the engine through a new snapshot
    const api = await createLogGroup(bed.ctx, { name: "lg-api", retentionDays: 365, maxSizeMegabytes: 1 });
    expect(changes).toBe(2); // the snapshot lists every log group's retention (accessLogGroups)
    expect((await listLogGroups(bed.ctx)).map((g) => g.name)).toEqual(["lg-api", "lg-web"]);
    await deleteLogGroup(bed.ctx, { id: api.id });
    expect(changes).toBe(3); // no longer listed: the engine deletes its folder
    await createLogGroup(bed.ctx, { name: "lg-api", retentionDays: 365, maxSizeMegabytes: 1 });
  });

  it("refuses a taken name, and retention or size outside their ranges, naming the field and range", async () => {
    await createLogGroup(bed.ctx, { name: "lg-taken" });
    await expectAppError(() => createLogGroup(bed.ctx, { name: "lg-taken" }), { code: "CONFLICT", field: "name", message: /^Log Group Name: lg-taken is already used/ }, allRows);
    await expectAppError(() => createLogGroup(bed.ctx, { name: "x", retentionDays: 0 }), { code: "BAD_REQUEST", field: "retentionDays", message: /^Retention \(days\): must be a whole number between 1 and 365$/ }, allRows);
    await expectAppError(() => createLogGroup(bed.ctx, { name: "x", retentionDays: 366 }), { field: "retentionDays", message: /between 1 and 365/ }, allRows);
    await expectAppError(() => createLogGroup(bed.ctx, { name: "x", maxSizeMegabytes: 0 }), { field: "maxSizeMegabytes", message: /^Size Limit \(MiB\): must be a whole number between 1 and 1048576$/ }, allRows);
    await expectAppError(() => createLogGroup(bed.ctx, { name: "bad name" }), { field: "name", message: /^Log Group Name: can contain only/ }, allRows);
    const other = await createLogGroup(bed.ctx, { name: "lg-rename" });
    await expectAppError(() => updateLogGroup(bed.ctx, { id: other.id, name: "lg-taken" }), { code: "CONFLICT", field: "name", message: /already used/ }, allRows);
    // Another project may use the same name.
    const [project] = await bed.ctx.db.insert(projects).values({ name: "lg-elsewhere" }).returning();
    const outsider = { ...bed.ctx, scope: { ...bed.ctx.scope, projectId: project!.id } };
    expect(await createLogGroup(outsider, { name: "lg-taken" })).toMatchObject({ name: "lg-taken" });
    expect((await listLogGroups(outsider)).map((g) => g.name)).toEqual(["lg-taken"]);
    await expectAppError(() => deleteLogGroup(outsider, { id: other.id }), { code: "NOT_FOUND", message: /^Log Group: not found/ }, allRows);
  });
});

describe("Create Log Stream", () => {
  it("creates with and without syslog forwarding, modifies, lists, and keeps names unique per group", async () => {
    const group = await createLogGroup(bed.ctx, { name: "lg-streams" });
    const second = await createLogGroup(bed.ctx, { name: "lg-streams-2" });
    const plain = await createLogStream(bed.ctx, { groupId: group.id, name: "ls-b" });
    expect(plain).toMatchObject({ groupId: group.id, groupName: "lg-streams", name: "ls-b", syslog: null, loadBalancers: [] });
    const forwarded = await createLogStream(bed.ctx, { groupId: group.id, name: "ls-a", syslog: { protocol: "TCP", host: "127.0.0.1", port: 514 } });
    expect(forwarded.syslog).toEqual({ protocol: "TCP", host: "127.0.0.1", port: 514 });
    expect((await listLogStreams(bed.ctx, { groupId: group.id })).map((s) => s.name)).toEqual(["ls-a", "ls-b"]);
    expect((await listLogGroups(bed.ctx)).find((g) => g.id === group.id)!.streamCount).toBe(2);
    expect(await createLogStream(bed.ctx, { groupId: second.id, name: "ls-a" })).toMatchObject({ name: "ls-a", groupName: "lg-streams-2" });
    await expectAppError(() => createLogStream(bed.ctx, { groupId: group.id, name: "ls-a" }), { code: "CONFLICT", field: "name", message: /^Log Stream Name: ls-a is already used by another log stream of log group lg-streams$/ }, allRows);
    await expectAppError(() => createLogStream(bed.ctx, { groupId: group.id, name: "ls-c", syslog: { protocol: "UDP", host: "127.0.0.1", port: 0 } }), { field: "syslog.port", message: /^Syslog Port: must be a whole number between 1 and 65535$/ }, allRows);
    await expectAppError(() => createLogStream(bed.ctx, { groupId: group.id, name: "ls-c", syslog: { protocol: "RELP", host: "h", port: 1 } }), { field: "syslog.protocol", message: /^Syslog Protocol: select UDP or TCP$/ }, allRows);
    await expectAppError(() => createLogStream(bed.ctx, { groupId: group.id, name: "ls-c", syslog: { protocol: "UDP", host: "a b", port: 1 } }), { field: "syslog.host", message: /^Syslog Host:/ }, allRows);
    await expectAppError(() => createLogStream(bed.ctx, { groupId: "no-such-group", name: "ls-c" }), { code: "NOT_FOUND", field: "groupId", message: /^Log Group: not found/ }, allRows);
    changes = 0;
    expect(await updateLogStream(bed.ctx, { id: forwarded.id, syslog: null, name: "ls-a2" })).toMatchObject({ name: "ls-a2", syslog: null });
    expect(changes).toBe(1);
    await expectAppError(() => updateLogStream(bed.ctx, { id: forwarded.id, name: "ls-b" }), { code: "CONFLICT", field: "name", message: /already used/ }, allRows);
    expect(await deleteLogStream(bed.ctx, { id: plain.id })).toEqual({ id: plain.id, name: "ls-b" });
    expect((await listLogStreams(bed.ctx, { groupId: group.id })).map((s) => s.name)).toEqual(["ls-a2"]);
  });
});

describe("Configure Access Log", () => {
  it("enables into a stream, disables (keeping the stream), and blocks deleting the stream or its group, naming the load balancers", async () => {
    const group = await createLogGroup(bed.ctx, { name: "lg-elb" });
    const stream = await createLogStream(bed.ctx, { groupId: group.id, name: "ls-elb" });
    const spare = await createLogStream(bed.ctx, { groupId: group.id, name: "ls-spare" });
    const lbA = await createTestLoadBalancer(bed, "elb-logs-a");
    const lbB = await createTestLoadBalancer(bed, "elb-logs-b");
    expect(await getAccessLog(bed.ctx, { loadBalancerId: lbA.id })).toEqual({ id: lbA.id, name: "elb-logs-a", enabled: false, logGroup: null, logStream: null });
    changes = 0;
    const on = await configureAccessLog(bed.ctx, { loadBalancerId: lbA.id, logStreamId: stream.id });
    expect(on).toEqual({ id: lbA.id, name: "elb-logs-a", enabled: true, logGroup: { id: group.id, name: "lg-elb", retentionDays: 7 }, logStream: { id: stream.id, name: "ls-elb" } });
    expect(changes).toBe(1);
    await configureAccessLog(bed.ctx, { loadBalancerId: lbB.id, logStreamId: stream.id });
    const off = await disableAccessLog(bed.ctx, { loadBalancerId: lbB.id });
    expect(off).toMatchObject({ enabled: false, logStream: { id: stream.id } });
    expect(changes).toBe(3);
    expect((await listLogStreams(bed.ctx, { groupId: group.id })).find((s) => s.id === stream.id)!.loadBalancers).toEqual([
      { id: lbA.id, name: "elb-logs-a", accessLogEnabled: true },
      { id: lbB.id, name: "elb-logs-b", accessLogEnabled: false },
    ]);
    await expectAppError(() => deleteLogStream(bed.ctx, { id: stream.id }), { code: "PRECONDITION_FAILED", message: /^Log stream ls-elb is used by the access logging of load balancers elb-logs-a, elb-logs-b;/ }, allRows);
    await expectAppError(() => deleteLogGroup(bed.ctx, { id: group.id }), { code: "PRECONDITION_FAILED", message: /^Log group lg-elb is used by the access logging of load balancers elb-logs-a, elb-logs-b;/ }, allRows);
    // Other selections are refused naming the field; a stream of another project is not found.
    await expectAppError(() => configureAccessLog(bed.ctx, { loadBalancerId: lbA.id, logStreamId: "" }), { field: "logStreamId", message: /^Log Stream: select a log stream$/ }, allRows);
    await expectAppError(() => configureAccessLog(bed.ctx, { loadBalancerId: lbA.id, logStreamId: "nope" }), { code: "NOT_FOUND", field: "logStreamId", message: /^Log Stream: not found/ }, allRows);
    await expectAppError(() => configureAccessLog(bed.ctx, { loadBalancerId: "nope", logStreamId: stream.id }), { code: "NOT_FOUND", field: "loadBalancerId", message: /^Load balancer not found$/ }, allRows);
    const [project] = await bed.ctx.db.insert(projects).values({ name: "al-elsewhere" }).returning();
    const outsider = { ...bed.ctx, scope: { ...bed.ctx.scope, projectId: project!.id } };
    const foreignGroup = await createLogGroup(outsider, { name: "lg-foreign" });
    const foreignStream = await createLogStream(outsider, { groupId: foreignGroup.id, name: "ls-foreign" });
    await expectAppError(() => configureAccessLog(bed.ctx, { loadBalancerId: lbA.id, logStreamId: foreignStream.id }), { code: "NOT_FOUND", field: "logStreamId", message: /^Log Stream: not found/ }, allRows);
    // Moved to the spare stream, both load balancers free the first one; then the group goes with its streams, in one go.
    await configureAccessLog(bed.ctx, { loadBalancerId: lbA.id, logStreamId: spare.id });
    await configureAccessLog(bed.ctx, { loadBalancerId: lbB.id, logStreamId: spare.id });
    expect(await deleteLogStream(bed.ctx, { id: stream.id })).toEqual({ id: stream.id, name: "ls-elb" });
    await expectAppError(() => deleteLogGroup(bed.ctx, { id: group.id }), { code: "PRECONDITION_FAILED", message: /^Log group lg-elb is used/ }, allRows);
    await disableAccessLog(bed.ctx, { loadBalancerId: lbA.id });
    await expectAppError(() => deleteLogGroup(bed.ctx, { id: group.id }), { code: "PRECONDITION_FAILED", message: /load balancers elb-logs-a, elb-logs-b;/ }, allRows);
  });

  it("deletes a group together with its unused streams", async () => {
    const group = await createLogGroup(bed.ctx, { name: "lg-gone" });
    await createLogStream(bed.ctx, { groupId: group.id, name: "ls-1" });
    await createLogStream(bed.ctx, { groupId: group.id, name: "ls-2" });
    expect(await deleteLogGroup(bed.ctx, { id: group.id })).toEqual({ id: group.id, name: "lg-gone" });
    expect((await streamRows()).filter((s) => s.groupId === group.id)).toEqual([]);
    expect((await groupRows()).find((g) => g.id === group.id)).toBeUndefined();
  });
});
