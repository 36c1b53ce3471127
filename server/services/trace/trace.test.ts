import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { traces, users } from "@/db/schema";
import { recordTrace } from "../../audit/record-trace";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { getTrace } from "./get-trace";
import { listTraceFilterOptions } from "./list-trace-filter-options";
import { listTraces } from "./list-traces";

let bed: ServiceTestBed;
const now = new Date("2026-11-21T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600_000);

beforeAll(async () => {
  bed = await createServiceTestBed();
  const scope = { projectId: bed.ctx.scope.projectId, regionId: bed.ctx.scope.regionId };
  const base = { sourceIp: "10.45.152.59", code: "200", status: "normal" as const, ...scope };
  await bed.ctx.db.insert(traces).values([
    { ...base, id: "t1", traceName: "create loadbalancer", resourceType: "loadbalancer", resourceId: "lb-111", resourceName: "web", userName: "admin", time: hoursAgo(1), request: { name: "web" }, response: { id: "lb-111" } },
    { ...base, id: "t2", traceName: "delete loadbalancer", resourceType: "loadbalancer", resourceId: "lb-222", resourceName: "api", userName: "ops", time: hoursAgo(30), code: "412", status: "warning" },
    { ...base, id: "t3", traceName: "create listener", resourceType: "listener", resourceId: "ls-333", resourceName: "web-80", userName: "admin", time: hoursAgo(50), code: "500", status: "incident" },
    { ...base, id: "t4", traceName: "create user", resourceType: "user", resourceId: "u-444", resourceName: "viewer", userName: "admin", time: hoursAgo(100) },
    { ...base, id: "old", traceName: "create vpc", resourceType: "vpc", resourceId: "vpc-old", resourceName: "old", userName: "admin", time: hoursAgo(24 * 7 + 1) },
    { ...base, id: "other-project", traceName: "create vpc", resourceType: "vpc", userName: "admin", time: hoursAgo(2), projectId: "another-project" },
    { ...base, id: "other-region", traceName: "create vpc", resourceType: "vpc", userName: "admin", time: hoursAgo(2), regionId: "another-region" },
  ]);
});
afterAll(async () => {
  await bed?.close();
});

const ids = async (input: object) => (await listTraces(bed.ctx, input, now)).items.map((t) => t.id);
const allTraces = () => bed.ctx.db.select().from(traces).orderBy(traces.id);

describe("Trace List", () => {
  it("shows the last 7 days of the selected region and project, newest first, with Trace Source ELB", async () => {
    const { items, total } = await listTraces(bed.ctx, {}, now);
    expect(total).toBe(4);
    expect(items.map((t) => t.id)).toEqual(["t1", "t2", "t3", "t4"]);
    expect(items[0]).toMatchObject({ traceName: "create loadbalancer", resourceType: "loadbalancer", traceType: "management", traceSource: "ELB", resourceId: "lb-111", resourceName: "web", status: "normal", userName: "admin", sourceIp: "10.45.152.59" });
  });

  it("filters by Trace Type: every trace is a management trace, none a data trace", async () => {
    expect(await ids({ traceType: "management" })).toEqual(["t1", "t2", "t3", "t4"]);
    expect(await ids({ traceType: "data" })).toEqual([]);
    await expectAppError(() => listTraces(bed.ctx, { traceType: "ApiCall" }, now), { code: "BAD_REQUEST", field: "traceType", message: /Trace Type: choose Management or Data/ }, allTraces);
  });

  it("filters by Trace Source: users are IAM's, the rest ELB's", async () => {
    expect(await ids({ traceSource: "ELB" })).toEqual(["t1", "t2", "t3"]);
    expect(await ids({ traceSource: "IAM" })).toEqual(["t4"]);
    expect((await listTraces(bed.ctx, { traceSource: "IAM" }, now)).items[0]).toMatchObject({ traceSource: "IAM", traceType: "management" });
    await expectAppError(() => listTraces(bed.ctx, { traceSource: "CTS" }, now), { code: "BAD_REQUEST", field: "traceSource", message: /Trace Source: choose ELB or IAM/ }, allTraces);
  });

  it("filters by Resource Type", async () => {
    expect(await ids({ resourceType: "loadbalancer" })).toEqual(["t1", "t2"]);
    expect(await ids({ resourceType: "vpc" })).toEqual([]);
  });

  it("searches by trace name (exact), resource ID and resource name", async () => {
    expect(await ids({ searchBy: "traceName", searchValue: "create loadbalancer" })).toEqual(["t1"]);
    expect(await ids({ searchBy: "traceName", searchValue: "create" })).toEqual([]);
    expect(await ids({ searchBy: "resourceId", searchValue: "lb-222" })).toEqual(["t2"]);
    expect(await ids({ searchBy: "resourceId", searchValue: "lb-" })).toEqual(["t1", "t2"]);
    expect(await ids({ searchBy: "resourceName", searchValue: "WEB" })).toEqual(["t1", "t3"]);
    expect(await ids({ searchBy: "resourceName", searchValue: "" })).toHaveLength(4);
  });

  it("filters by Operator", async () => {
    expect(await ids({ operator: "ops" })).toEqual(["t2"]);
    expect(await ids({ operator: "nobody" })).toEqual([]);
  });

  it("filters by Trace Status", async () => {
    expect(await ids({ status: "all" })).toHaveLength(4);
    expect(await ids({ status: "normal" })).toEqual(["t1", "t4"]);
    expect(await ids({ status: "warning" })).toEqual(["t2"]);
    expect(await ids({ status: "incident" })).toEqual(["t3"]);
  });

  it("filters by time range within the last 7 days", async () => {
    expect(await ids({ from: hoursAgo(48), to: hoursAgo(2) })).toEqual(["t2"]);
    expect(await ids({ from: hoursAgo(60) })).toEqual(["t1", "t2", "t3"]);
    expect(await ids({ to: hoursAgo(40) })).toEqual(["t3", "t4"]);
    expect(await ids({ from: hoursAgo(24 * 7) })).toEqual(["t1", "t2", "t3", "t4"]);
    expect(await ids({ from: hoursAgo(24 * 3).toISOString() })).toEqual(["t1", "t2", "t3"]);
  });

  it("refuses a time range reaching further back than 7 days, naming the field and the earliest time", async () => {
    const earliest = hoursAgo(24 * 7).toISOString();
    await expectAppError(() => listTraces(bed.ctx, { from: new Date(now.getTime() - 7 * 24 * 3600_000 - 1) }, now), { code: "BAD_REQUEST", field: "from", message: new RegExp(`start time must be within the last 7 days \\(not before ${earliest}\\)`) }, allTraces);
    await expectAppError(() => listTraces(bed.ctx, { from: hoursAgo(24 * 30), to: hoursAgo(1) }, now), { code: "BAD_REQUEST", field: "from", message: /Time range: the start time must be within the last 7 days/ }, allTraces);
    await expectAppError(() => listTraces(bed.ctx, { to: hoursAgo(24 * 8) }, now), { code: "BAD_REQUEST", field: "to", message: /Time range: the end time must be within the last 7 days/ }, allTraces);
  });

  it("refuses a time past year 9999 (JavaScript's latest date has no ISO form the database parses) naming the field", async () => {
    const latest = new Date(8.64e15); // +275760-09-13T00:00:00.000Z: the fuzz test once sent it as `from`
    await expectAppError(() => listTraces(bed.ctx, { from: latest }, now), { code: "BAD_REQUEST", field: "from", message: /Time range: the start time must be between 1970 and 9999/ }, allTraces);
    await expectAppError(() => listTraces(bed.ctx, { to: latest }, now), { code: "BAD_REQUEST", field: "to", message: /Time range: the end time must be between 1970 and 9999/ }, allTraces);
  });

  it("combines filters and pages", async () => {
    expect(await ids({ resourceType: "loadbalancer", operator: "admin", status: "normal" })).toEqual(["t1"]);
    const page2 = await listTraces(bed.ctx, { pageSize: 3, page: 2 }, now);
    expect(page2).toMatchObject({ total: 4 });
    expect(page2.items.map((t) => t.id)).toEqual(["t4"]);
  });

  it("rejects a reversed or invalid time range and bad status, naming the field", async () => {
    await expectAppError(() => listTraces(bed.ctx, { from: hoursAgo(1), to: hoursAgo(2) }, now), { code: "BAD_REQUEST", field: "to", message: /end time must be later than the start time/ }, allTraces);
    await expectAppError(() => listTraces(bed.ctx, { from: "yesterday-ish" }, now), { field: "from", message: /start time is not a valid date/ }, allTraces);
    await expectAppError(() => listTraces(bed.ctx, { status: "fine" }, now), { field: "status", message: /All trace statuses, Normal, Warning or Incident/ }, allTraces);
  });

  it("offers the trace names, resource types and operators present", async () => {
    const options = await listTraceFilterOptions(bed.ctx, now);
    expect(options.traceSources).toEqual(["ELB", "IAM"]);
    expect(options.traceNames).toEqual(["create listener", "create loadbalancer", "create user", "delete loadbalancer"]);
    expect(options.resourceTypes).toEqual(["listener", "loadbalancer", "user"]);
    expect(options.operators).toEqual(["admin", "ops"]);
  });
});

describe("View Trace", () => {
  it("returns the context of guide Figure 9-2: its fields, in its order and nesting", async () => {
    const context = await getTrace(bed.ctx, { id: "t1" }, now);
    const admin = (await bed.ctx.db.select().from(users).where(eq(users.username, "admin")))[0];
    expect(admin).toBeDefined();
    expect(context).toEqual({
      code: "200",
      source_ip: "10.45.152.59",
      trace_type: "ConsoleAction",
      event_type: "system",
      project_id: bed.ctx.scope.projectId,
      trace_id: "t1",
      trace_name: "create loadbalancer",
      resource_type: "loadbalancer",
      trace_rating: "normal",
      api_version: "v1.0",
      service_type: "ELB",
      request: '{"name":"web"}',
      response: '{"id":"lb-111"}',
      resource_id: "lb-111",
      tracker_name: "system",
      time: String(hoursAgo(1).getTime()),
      resource_name: "web",
      record_time: String(hoursAgo(1).getTime()),
      user: { id: admin!.id, name: "admin", domain: { name: "elb-console", id: "elb-console" } },
    });
    // The figure's order: code, source_ip, trace_type, … record_time, user (request sits before response).
    expect(Object.keys(context)).toEqual([
      "code", "source_ip", "trace_type", "event_type", "project_id", "trace_id", "trace_name", "resource_type", "trace_rating", "api_version",
      "service_type", "request", "response", "resource_id", "tracker_name", "time", "resource_name", "record_time", "user",
    ]);
  });

  it("names an operator who no longer exists without an id, and an IAM trace's service IAM", async () => {
    expect((await getTrace(bed.ctx, { id: "t2" }, now)).user).toEqual({ id: null, name: "ops", domain: { name: "elb-console", id: "elb-console" } });
    expect(await getTrace(bed.ctx, { id: "t4" }, now)).toMatchObject({ service_type: "IAM", request: null, response: null });
  });

  it("does not show traces of another project or older than 7 days", async () => {
    await expectAppError(() => getTrace(bed.ctx, { id: "other-project" }, now), { code: "NOT_FOUND", message: /Trace: not found/ }, allTraces);
    await expectAppError(() => getTrace(bed.ctx, { id: "old" }, now), { code: "NOT_FOUND", message: /last 7 days/ }, allTraces);
  });

  it("shows a recorded trace with its secrets redacted", async () => {
    await recordTrace(bed.ctx.db, {
      traceName: "create user",
      resourceType: "user",
      resourceName: "bob",
      userName: "admin",
      sourceIp: "127.0.0.1",
      code: 200,
      ...bed.ctx.scope,
      request: { username: "bob", password: "hunter22-secret" },
      response: { id: "u1", name: "bob" },
    });
    const [item] = (await listTraces(bed.ctx, { searchBy: "resourceName", searchValue: "bob" })).items;
    const context = await getTrace(bed.ctx, { id: item!.id });
    expect(JSON.parse(context.request!)).toEqual({ username: "bob", password: "******" });
    expect(JSON.stringify(context)).not.toContain("hunter22");
  });
});
