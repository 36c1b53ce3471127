import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alarmRules, projects } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { createListener } from "../listener/create-listener";
import { deleteListener } from "../listener/delete-listener";
import { deleteLoadBalancer } from "../load-balancer/delete-load-balancer";
import { createTestLoadBalancer, newListenerInput } from "../listener/test-fixtures";
import { createAlarmRule } from "./create-alarm-rule";
import { updateAlarmRule } from "./update-alarm-rule";
import { setAlarmRuleEnabled } from "./set-alarm-rule-enabled";
import { deleteAlarmRule } from "./delete-alarm-rule";
import { listAlarmRules } from "./list-alarm-rules";
import { getAlarmRule } from "./get-alarm-rule";
import { listMonitoredObjects } from "./list-monitored-objects";
import type { CreateAlarmRuleInput } from "./alarm-rule.schemas";

/** Alarm rules (guide 8.2): Create, Modify, Enable/Disable, Delete; orphaned once the object is deleted. */
let bed: ServiceTestBed;
let lbId: string;
let httpId: string;
let tcpId: string;
beforeAll(async () => {
  bed = await createServiceTestBed();
  lbId = (await createTestLoadBalancer(bed, "elb-alarms")).id;
  httpId = (await createListener(bed.ctx, newListenerInput(lbId, "HTTP", 80))).id;
  tcpId = (await createListener(bed.ctx, newListenerInput(lbId, "TCP", 9000))).id;
});
afterAll(async () => {
  await bed?.close();
});

const rows = () => bed.ctx.db.select().from(alarmRules);
const ruleInput = (over: Partial<CreateAlarmRuleInput> = {}): CreateAlarmRuleInput => ({
  name: "alarm-5xx",
  dimension: "LISTENER",
  loadBalancerId: lbId,
  listenerId: httpId,
  metric: "mf_l7_http_5xx",
  statistic: "AVG",
  periodSeconds: 300,
  comparison: ">",
  threshold: 1,
  consecutivePeriods: 3,
  severity: "MAJOR",
  webhookUrl: "http://127.0.0.1:9/hook",
  ...over,
});

describe("Create, Modify, Disable and Delete Alarm Rule", () => {
  it("creates a rule in Insufficient data, lists it, modifies, disables and deletes it", async () => {
    const created = await createAlarmRule(bed.ctx, { ...ruleInput(), description: "5xx of the web listener" });
    expect(created).toMatchObject({
      name: "alarm-5xx",
      description: "5xx of the web listener",
      resourceType: "ELB",
      dimension: "LISTENER",
      loadBalancerId: lbId,
      listenerId: httpId,
      objectName: "listener-http-80",
      metric: "mf_l7_http_5xx",
      statistic: "AVG",
      periodSeconds: 300,
      comparison: ">",
      threshold: 1,
      consecutivePeriods: 3,
      severity: "MAJOR",
      enabled: true,
      webhookUrl: "http://127.0.0.1:9/hook",
      state: "INSUFFICIENT_DATA",
      projectId: bed.ctx.scope.projectId,
      object: { orphaned: false, name: "listener-http-80", loadBalancerName: "elb-alarms", protocol: "HTTP" },
    });
    expect(await listAlarmRules(bed.ctx)).toEqual([created]);
    expect(await getAlarmRule(bed.ctx, { id: created.id })).toEqual({ rule: created, history: [], notifications: [] });

    const modified = await updateAlarmRule(bed.ctx, { ...ruleInput({ name: "alarm-lb-conn", dimension: "LOAD_BALANCER", listenerId: null, metric: "m1_cps", statistic: "RAW", periodSeconds: 60, comparison: "<=", threshold: 0, consecutivePeriods: 1, severity: "CRITICAL", webhookUrl: "" }), id: created.id });
    expect(modified).toMatchObject({ name: "alarm-lb-conn", description: "", dimension: "LOAD_BALANCER", listenerId: null, objectName: "elb-alarms", metric: "m1_cps", statistic: "RAW", periodSeconds: 60, comparison: "<=", threshold: 0, consecutivePeriods: 1, severity: "CRITICAL", webhookUrl: null });
    expect(modified.object).toEqual({ orphaned: false, name: "elb-alarms", loadBalancerName: "elb-alarms", protocol: null });

    expect(await setAlarmRuleEnabled(bed.ctx, { id: created.id, enabled: false })).toMatchObject({ enabled: false });
    expect((await listAlarmRules(bed.ctx))[0]!.enabled).toBe(false);
    expect(await setAlarmRuleEnabled(bed.ctx, { id: created.id, enabled: true })).toMatchObject({ enabled: true });

    expect(await deleteAlarmRule(bed.ctx, { id: created.id })).toEqual({ id: created.id, name: "alarm-lb-conn" });
    expect(await listAlarmRules(bed.ctx)).toEqual([]);
    await expectAppError(() => deleteAlarmRule(bed.ctx, { id: created.id }), { code: "NOT_FOUND", field: "id", message: /^Alarm rule: not found/ }, rows);
    await expectAppError(() => setAlarmRuleEnabled(bed.ctx, { id: created.id, enabled: false }), { code: "NOT_FOUND", field: "id", message: /^Alarm rule: not found/ }, rows);
    await expectAppError(() => getAlarmRule(bed.ctx, { id: created.id }), { code: "NOT_FOUND", field: "id", message: /^Alarm rule: not found/ }, rows);
  });

  it("refuses bad input naming the field and the allowed values, writing nothing", async () => {
    const refuse = (over: Partial<CreateAlarmRuleInput> | Record<string, unknown>, field: string, message: RegExp, code = "BAD_REQUEST") =>
      expectAppError(() => createAlarmRule(bed.ctx, { ...ruleInput(), ...over }), { code, field, message }, rows);
    await refuse({ name: "" }, "name", /^Name: enter 1 to 64 characters$/);
    await refuse({ name: "bad name" }, "name", /^Name: can contain only letters/);
    await refuse({ description: "<b>" }, "description", /^Description: cannot contain angle brackets/);
    await refuse({ resourceType: "ECS" }, "resourceType", /^Resource Type: choose Elastic Load Balance$/);
    await refuse({ dimension: "POOL" }, "dimension", /^Dimension: choose Enhanced Load Balancers or Listeners$/);
    await refuse({ metric: "m99" }, "metric", /^Metric: choose a metric of the list$/);
    await refuse({ statistic: "MEDIAN" }, "statistic", /^Statistic: choose Raw data, Avg\., Max\., Min\. or Sum$/);
    await refuse({ statistic: "RAW", periodSeconds: 300 }, "periodSeconds", /^Period: Raw data has a period of 1 minute$/);
    await refuse({ statistic: "SUM", periodSeconds: 60 }, "periodSeconds", /^Period: choose 5 minutes, 20 minutes, 1 hour, 4 hours or 1 day$/);
    await refuse({ comparison: "!=" }, "comparison", /^Comparison: choose >, ≥, <, ≤ or =$/);
    await refuse({ threshold: -1 }, "threshold", /^Threshold: enter a number between 0 and 1000000000000$/);
    await refuse({ threshold: 2e12 }, "threshold", /^Threshold: enter a number between 0 and 1000000000000$/);
    await refuse({ threshold: "5" }, "threshold", /^Threshold: enter a number/);
    await refuse({ consecutivePeriods: 0 }, "consecutivePeriods", /^Consecutive Periods: must be a whole number between 1 and 5$/);
    await refuse({ consecutivePeriods: 6 }, "consecutivePeriods", /^Consecutive Periods: must be a whole number between 1 and 5$/);
    await refuse({ consecutivePeriods: 2.5 }, "consecutivePeriods", /between 1 and 5/);
    await refuse({ severity: "FATAL" }, "severity", /^Alarm Severity: choose Critical, Major, Minor or Informational$/);
    await refuse({ webhookUrl: "ftp://example.com/x" }, "webhookUrl", /^Notification URL: enter an http:\/\/ or https:\/\/ URL/);
    await refuse({ webhookUrl: "not a url" }, "webhookUrl", /^Notification URL: enter an http:\/\/ or https:\/\/ URL/);
    await refuse({ webhookUrl: `http://h/${"a".repeat(2050)}` }, "webhookUrl", /^Notification URL: can contain at most 2048 characters$/);
    await refuse({ listenerId: null }, "listenerId", /^Monitored Object: select a listener$/);
    await refuse({ dimension: "LOAD_BALANCER", listenerId: httpId, metric: "m1_cps" }, "listenerId", /^Monitored Object: a load balancer rule has no listener$/);
    await refuse({ metric: "m9_abnormal_servers" }, "metric", /^Metric: Unhealthy Servers is measured for load balancers only/);
    await refuse({ metric: "mf_l7_http_5xx", listenerId: tcpId }, "metric", /^Metric: 5xx Status Codes is measured for HTTP and HTTPS listeners only; listener-tcp-9000 is TCP$/);
    await refuse({ loadBalancerId: "no-such-lb" }, "loadBalancerId", /^Monitored Object: load balancer not found/, "NOT_FOUND");
    await refuse({ listenerId: "no-such-listener" }, "listenerId", /^Monitored Object: listener not found on load balancer elb-alarms$/, "NOT_FOUND");
    const bare = (await createTestLoadBalancer(bed, "elb-alarms-bare")).id;
    await refuse({ dimension: "LOAD_BALANCER", loadBalancerId: bare, listenerId: null, metric: "mb_l7_queries" }, "metric", /^Metric: Layer-7 Query Rate is measured for HTTP and HTTPS listeners only; elb-alarms-bare has none$/);
    // A listener of another load balancer is not a listener of this one.
    await refuse({ loadBalancerId: bare }, "listenerId", /^Monitored Object: listener not found on load balancer elb-alarms-bare$/, "NOT_FOUND");
    // TCP listener metrics are fine on a TCP listener; m9 on a load balancer without listeners too.
    await createAlarmRule(bed.ctx, ruleInput({ name: "tcp-conn", listenerId: tcpId, metric: "m1_cps" }));
    await createAlarmRule(bed.ctx, ruleInput({ name: "bare-unhealthy", dimension: "LOAD_BALANCER", loadBalancerId: bare, listenerId: null, metric: "m9_abnormal_servers" }));
    const created = (await listAlarmRules(bed.ctx)).filter((r) => r.name === "tcp-conn" || r.name === "bare-unhealthy");
    expect(created).toHaveLength(2);
    for (const rule of created) await deleteAlarmRule(bed.ctx, { id: rule.id });
    await deleteLoadBalancer(bed.ctx, { id: bare, confirmName: "elb-alarms-bare" });
  });

  it("a Modify that fails its checks changes nothing", async () => {
    const rule = await createAlarmRule(bed.ctx, ruleInput({ name: "alarm-keep" }));
    await expectAppError(() => updateAlarmRule(bed.ctx, { ...ruleInput({ listenerId: tcpId }), id: rule.id }), { code: "BAD_REQUEST", field: "metric", message: /^Metric: 5xx Status Codes is measured for HTTP and HTTPS listeners only/ }, rows);
    await expectAppError(() => updateAlarmRule(bed.ctx, { ...ruleInput({ consecutivePeriods: 9 }), id: rule.id }), { code: "BAD_REQUEST", field: "consecutivePeriods", message: /^Consecutive Periods: must be a whole number between 1 and 5$/ }, rows);
    await expectAppError(() => updateAlarmRule(bed.ctx, { ...ruleInput(), id: "no-such-rule" }), { code: "NOT_FOUND", field: "id", message: /^Alarm rule: not found/ }, rows);
    await deleteAlarmRule(bed.ctx, { id: rule.id });
  });
});

describe("deleting the monitored object keeps the rule, marked orphaned", () => {
  it("a listener's rule after Delete Listener, a load balancer's rule after Delete Load Balancer", async () => {
    const lb = await createTestLoadBalancer(bed, "elb-going");
    const listener = await createListener(bed.ctx, newListenerInput(lb.id, "HTTP", 8080));
    const onListener = await createAlarmRule(bed.ctx, ruleInput({ name: "on-listener", loadBalancerId: lb.id, listenerId: listener.id }));
    const onLb = await createAlarmRule(bed.ctx, ruleInput({ name: "on-lb", dimension: "LOAD_BALANCER", loadBalancerId: lb.id, listenerId: null, metric: "m4_ncps" }));
    await deleteListener(bed.ctx, { id: listener.id });
    const afterListener = await listAlarmRules(bed.ctx);
    expect(afterListener.find((r) => r.id === onListener.id)).toMatchObject({ objectName: "listener-http-8080", object: { orphaned: true } });
    expect(afterListener.find((r) => r.id === onLb.id)!.object).toEqual({ orphaned: false, name: "elb-going", loadBalancerName: "elb-going", protocol: null });
    await deleteLoadBalancer(bed.ctx, { id: lb.id, confirmName: "elb-going" });
    const afterLb = await listAlarmRules(bed.ctx);
    expect(afterLb.find((r) => r.id === onLb.id)).toMatchObject({ objectName: "elb-going", object: { orphaned: true } });
    expect(afterLb.find((r) => r.id === onListener.id)!.object).toEqual({ orphaned: true });
    // An orphaned rule can still be disabled and deleted.
    expect(await setAlarmRuleEnabled(bed.ctx, { id: onLb.id, enabled: false })).toMatchObject({ enabled: false, object: { orphaned: true } });
    await deleteAlarmRule(bed.ctx, { id: onLb.id });
    await deleteAlarmRule(bed.ctx, { id: onListener.id });
  });
});

describe("scope", () => {
  it("hides rules of other projects and refuses their objects", async () => {
    const rule = await createAlarmRule(bed.ctx, ruleInput({ name: "alarm-mine" }));
    const [project] = await bed.ctx.db.insert(projects).values({ name: "alarm-elsewhere" }).returning();
    const outsider = { ...bed.ctx, scope: { ...bed.ctx.scope, projectId: project!.id } };
    expect(await listAlarmRules(outsider)).toEqual([]);
    expect(await listMonitoredObjects(outsider)).toEqual([]);
    await expectAppError(() => getAlarmRule(outsider, { id: rule.id }), { code: "NOT_FOUND", message: /^Alarm rule: not found/ }, rows);
    await expectAppError(() => deleteAlarmRule(outsider, { id: rule.id }), { code: "NOT_FOUND", message: /^Alarm rule: not found/ }, rows);
    await expectAppError(() => updateAlarmRule(outsider, { ...ruleInput(), id: rule.id }), { code: "NOT_FOUND", message: /^Alarm rule: not found/ }, rows);
    await expectAppError(() => createAlarmRule(outsider, ruleInput()), { code: "NOT_FOUND", field: "loadBalancerId", message: /^Monitored Object: load balancer not found/ }, rows);
    await deleteAlarmRule(bed.ctx, { id: rule.id });
  });

  it("lists the load balancers and listeners a rule can monitor", async () => {
    const objects = await listMonitoredObjects(bed.ctx);
    expect(objects.find((o) => o.id === lbId)).toEqual({
      id: lbId,
      name: "elb-alarms",
      layer7: true,
      listeners: [
        { id: httpId, name: "listener-http-80", protocol: "HTTP", port: 80 },
        { id: tcpId, name: "listener-tcp-9000", protocol: "TCP", port: 9000 },
      ],
    });
  });
});
