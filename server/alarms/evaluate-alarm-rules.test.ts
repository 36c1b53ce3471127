import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { alarmHistory, alarmNotifications, alarmRules, metricPoints } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../services/test-support";
import { createListener } from "../services/listener/create-listener";
import { createTestLoadBalancer, newListenerInput } from "../services/listener/test-fixtures";
import { createAlarmRule } from "../services/alarm-rule/create-alarm-rule";
import { setAlarmRuleEnabled } from "../services/alarm-rule/set-alarm-rule-enabled";
import { deleteAlarmRule } from "../services/alarm-rule/delete-alarm-rule";
import type { CreateAlarmRuleInput } from "../services/alarm-rule/alarm-rule.schemas";
import { evaluateAlarmRules } from "./evaluate-alarm-rules";
import { insertMinutePoints } from "./alarm-test-support";

/** The evaluation run over the database: metric_points in, rule state, alarm_history and queued notifications out. */
const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 1, 0, 0, 0);
const SETTLE = 5_000;
let bed: ServiceTestBed;
let lbId: string;
let listenerId: string;
beforeAll(async () => {
  bed = await createServiceTestBed();
  lbId = (await createTestLoadBalancer(bed, "elb-eval")).id;
  listenerId = (await createListener(bed.ctx, newListenerInput(lbId, "HTTP", 80))).id;
});
afterAll(async () => {
  await bed?.close();
});

const rule = (over: Partial<CreateAlarmRuleInput>) =>
  createAlarmRule(bed.ctx, {
    name: "eval",
    dimension: "LISTENER",
    loadBalancerId: lbId,
    listenerId,
    metric: "mf_l7_http_5xx",
    statistic: "RAW",
    periodSeconds: 60,
    comparison: ">",
    threshold: 1,
    consecutivePeriods: 2,
    severity: "CRITICAL",
    webhookUrl: "http://127.0.0.1:9/hook",
    ...over,
  });
const run = (at: number) => evaluateAlarmRules({ db: bed.ctx.db, now: new Date(at), settleMs: SETTLE });
const stateOf = async (id: string) => (await bed.ctx.db.select().from(alarmRules).where(eq(alarmRules.id, id)))[0]!;
const historyOf = (id: string) => bed.ctx.db.select().from(alarmHistory).where(eq(alarmHistory.ruleId, id)).orderBy(asc(alarmHistory.at));
const notificationsOf = (id: string) => bed.ctx.db.select().from(alarmNotifications).where(eq(alarmNotifications.ruleId, id)).orderBy(asc(alarmNotifications.createdAt));
const listenerPoints = (metric: "mf_l7_http_5xx" | "m1_cps", end: number, values: (number | null | undefined)[]) =>
  insertMinutePoints(bed.ctx.db, { kind: "LISTENER", id: listenerId, loadBalancerId: lbId }, metric, end, values);

describe("evaluateAlarmRules", () => {
  it("walks Insufficient data → OK → Alarm → OK → Insufficient data, one history row per transition, notifying Alarm and recovery", async () => {
    const r = await rule({ name: "walk" });
    const base = T0;
    // Minutes base−3, base−2: 0 and 0 → OK.
    await listenerPoints("mf_l7_http_5xx", base, [0, 0]);
    expect((await run(base + SETTLE)).filter((t) => t.ruleId === r.id)).toMatchObject([{ fromState: "INSUFFICIENT_DATA", toState: "OK", value: 0, notificationId: null }]);
    // One breaching minute: not yet 2 consecutive → stays OK, no history row.
    await listenerPoints("mf_l7_http_5xx", base + MIN, [5]);
    expect((await run(base + MIN + SETTLE)).filter((t) => t.ruleId === r.id)).toEqual([]);
    expect((await stateOf(r.id)).state).toBe("OK");
    // The second breaching minute → ALARM, with a notification.
    await listenerPoints("mf_l7_http_5xx", base + 2 * MIN, [7]);
    const [alarm] = (await run(base + 2 * MIN + SETTLE)).filter((t) => t.ruleId === r.id);
    expect(alarm).toMatchObject({ fromState: "OK", toState: "ALARM", value: 7 });
    expect(alarm!.notificationId).toEqual(expect.any(String));
    // Still breaching: no new transition.
    await listenerPoints("mf_l7_http_5xx", base + 3 * MIN, [9]);
    expect((await run(base + 3 * MIN + SETTLE)).filter((t) => t.ruleId === r.id)).toEqual([]);
    // Back below → OK, notified as recovered.
    await listenerPoints("mf_l7_http_5xx", base + 4 * MIN, [0]);
    expect((await run(base + 4 * MIN + SETTLE)).filter((t) => t.ruleId === r.id)).toMatchObject([{ fromState: "ALARM", toState: "OK", value: 0 }]);
    // No point for the next minute → Insufficient data, not notified.
    expect((await run(base + 5 * MIN + SETTLE)).filter((t) => t.ruleId === r.id)).toMatchObject([{ fromState: "OK", toState: "INSUFFICIENT_DATA", value: null, notificationId: null }]);

    const history = await historyOf(r.id);
    expect(history.map((h) => [h.fromState, h.toState, h.value])).toEqual([
      ["INSUFFICIENT_DATA", "OK", 0],
      ["OK", "ALARM", 7],
      ["ALARM", "OK", 0],
      ["OK", "INSUFFICIENT_DATA", null],
    ]);
    expect(history[1]!.reason).toBe("7 > 1 in 2 consecutive periods");
    const current = await stateOf(r.id);
    expect(current).toMatchObject({ state: "INSUFFICIENT_DATA", stateChangedAt: new Date(base + 5 * MIN + SETTLE), lastEvaluatedAt: new Date(base + 5 * MIN + SETTLE) });

    const notifications = await notificationsOf(r.id);
    expect(notifications.map((n) => [n.status, n.attempts, n.historyId, n.url])).toEqual([
      ["PENDING", 0, history[1]!.id, "http://127.0.0.1:9/hook"],
      ["PENDING", 0, history[2]!.id, "http://127.0.0.1:9/hook"],
    ]);
    expect(notifications[0]!.payload).toEqual({
      event: "ALARM",
      rule: { id: r.id, name: "walk", description: "", severity: "CRITICAL", resourceType: "ELB" },
      object: { dimension: "LISTENER", loadBalancerId: lbId, listenerId, name: "listener-http-80" },
      metric: { id: "mf_l7_http_5xx", name: "5xx Status Codes", unit: "Count/s", statistic: "RAW", periodSeconds: 60 },
      condition: { comparison: ">", threshold: 1, consecutivePeriods: 2 },
      value: 7,
      fromState: "OK",
      toState: "ALARM",
      reason: "7 > 1 in 2 consecutive periods",
      time: new Date(base + 2 * MIN + SETTLE).toISOString(),
    });
    expect(notifications[1]!.payload).toMatchObject({ event: "RECOVERED", fromState: "ALARM", toState: "OK", value: 0 });
    await deleteAlarmRule(bed.ctx, { id: r.id });
  });

  it("Alarm → Insufficient data (the data stopped) is a transition but not a notification: only Alarm and recovery to OK are", async () => {
    const r = await rule({ name: "alarm-then-gap", consecutivePeriods: 1 });
    const base = T0 + 200 * MIN; // far from the other tests' minutes
    await listenerPoints("mf_l7_http_5xx", base, [5]);
    const [alarm] = (await run(base + SETTLE)).filter((t) => t.ruleId === r.id);
    expect(alarm).toMatchObject({ fromState: "INSUFFICIENT_DATA", toState: "ALARM", value: 5 });
    expect(alarm!.notificationId).toEqual(expect.any(String));
    // No point for the next minute.
    expect((await run(base + MIN + SETTLE)).filter((t) => t.ruleId === r.id)).toMatchObject([{ fromState: "ALARM", toState: "INSUFFICIENT_DATA", value: null, notificationId: null }]);
    expect((await notificationsOf(r.id)).map((n) => n.historyId)).toEqual([alarm!.historyId]);
    await deleteAlarmRule(bed.ctx, { id: r.id });
  });

  it("reads the rule's own object and metric, at the 1-minute resolution only", async () => {
    const base = T0 + 60 * MIN;
    const lbRule = await rule({ name: "lb-conn", dimension: "LOAD_BALANCER", listenerId: null, metric: "m1_cps", threshold: 100, consecutivePeriods: 1 });
    // A 5-minute period: the listener's roll-up row below lies inside its window, so only the resolution keeps it out.
    const listenerRule = await rule({ name: "listener-conn", metric: "m1_cps", statistic: "AVG", periodSeconds: 300, threshold: 100, consecutivePeriods: 1 });
    await insertMinutePoints(bed.ctx.db, { kind: "LOAD_BALANCER", id: lbId, loadBalancerId: lbId }, "m1_cps", base, [500]);
    await listenerPoints("m1_cps", base, [50]);
    // A 5-minute roll-up row of the listener that breaches (in the period [base − 5 min, base)) must not be read.
    await bed.ctx.db.insert(metricPoints).values({ resolutionSeconds: 300, objectKind: "LISTENER", objectId: listenerId, loadBalancerId: lbId, at: new Date(base - 5 * MIN), m1_cps: 999, samples: 5 });
    const transitions = await run(base + SETTLE);
    expect(transitions.find((t) => t.ruleId === lbRule.id)).toMatchObject({ toState: "ALARM", value: 500 });
    expect(transitions.find((t) => t.ruleId === listenerRule.id)).toMatchObject({ toState: "OK", value: 50 });
    await deleteAlarmRule(bed.ctx, { id: lbRule.id });
    await deleteAlarmRule(bed.ctx, { id: listenerRule.id });
  });

  it("skips disabled rules and queues nothing for a rule without a webhook", async () => {
    const base = T0 + 120 * MIN;
    const off = await rule({ name: "off", consecutivePeriods: 1 });
    await setAlarmRuleEnabled(bed.ctx, { id: off.id, enabled: false });
    const silent = await rule({ name: "silent", consecutivePeriods: 1, webhookUrl: null });
    await listenerPoints("mf_l7_http_5xx", base, [50]);
    const transitions = await run(base + SETTLE);
    expect(transitions.find((t) => t.ruleId === off.id)).toBeUndefined();
    expect((await stateOf(off.id)).lastEvaluatedAt).toBeNull();
    expect(transitions.find((t) => t.ruleId === silent.id)).toMatchObject({ toState: "ALARM", notificationId: null });
    expect(await notificationsOf(silent.id)).toEqual([]);
    await deleteAlarmRule(bed.ctx, { id: off.id });
    await deleteAlarmRule(bed.ctx, { id: silent.id });
  });

  it("a rule disabled after the run listed it, before its turn, is not judged (re-read under its lock)", async () => {
    const base = T0 + 240 * MIN;
    const r = await rule({ name: "late-off", consecutivePeriods: 1 });
    await listenerPoints("mf_l7_http_5xx", base, [50]);
    const db = bed.ctx.db;
    let disabled = false;
    // The run's database: before its first rule's transaction, the rule is disabled from elsewhere (the console).
    const racing = new Proxy(db, {
      get(target, key) {
        if (key === "transaction" && !disabled) {
          return async (...args: Parameters<typeof db.transaction>) => {
            disabled = true;
            await setAlarmRuleEnabled(bed.ctx, { id: r.id, enabled: false });
            return target.transaction(...args);
          };
        }
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const transitions = await evaluateAlarmRules({ db: racing, now: new Date(base + SETTLE), settleMs: SETTLE });
    expect(disabled).toBe(true);
    expect(transitions.find((t) => t.ruleId === r.id)).toBeUndefined();
    expect((await stateOf(r.id)).state).toBe("INSUFFICIENT_DATA");
    expect(await historyOf(r.id)).toEqual([]);
    expect(await notificationsOf(r.id)).toEqual([]);
    await deleteAlarmRule(bed.ctx, { id: r.id });
  });

  it("two runs at once (two console processes) write one transition, not two", async () => {
    const base = T0 + 180 * MIN;
    const r = await rule({ name: "race", consecutivePeriods: 1 });
    await listenerPoints("mf_l7_http_5xx", base, [50]);
    const [a, b] = await Promise.all([run(base + SETTLE), run(base + SETTLE)]);
    expect([...a, ...b].filter((t) => t.ruleId === r.id)).toHaveLength(1);
    expect(await historyOf(r.id)).toHaveLength(1);
    expect(await notificationsOf(r.id)).toHaveLength(1);
    await deleteAlarmRule(bed.ctx, { id: r.id });
  });
});
