import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc } from "drizzle-orm";
import { alarmRules, traces } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../../../services/test-support";
import { createTestLoadBalancer } from "../../../services/listener/test-fixtures";
import { createCaller } from "../../root";

/** The alarm rule router through tRPC: every mutation traced (alarmrule), a refusal traced as a warning, read-only users refused. */
let bed: ServiceTestBed;
let admin: ReturnType<typeof createCaller>;
let lbId: string;
beforeAll(async () => {
  bed = await createServiceTestBed();
  admin = createCaller({ ...bed.ctx, user: bed.ctx.user, sourceIp: "192.0.2.11" });
  lbId = (await createTestLoadBalancer(bed, "elb-alarm-router")).id;
});
afterAll(async () => {
  await bed?.close();
});

const lastTrace = async () => (await bed.ctx.db.select().from(traces).orderBy(desc(traces.time)).limit(1))[0]!;
const input = { name: "alarm-router", dimension: "LOAD_BALANCER" as const, loadBalancerId: "", metric: "m1_cps" as const, statistic: "MAX" as const, periodSeconds: 300, comparison: ">=" as const, threshold: 10, consecutivePeriods: 2, severity: "MINOR" as const };

describe("alarmRule router", () => {
  it("traces create, update, enable/disable and delete as alarmrule operations", async () => {
    const rule = await admin.alarmRule.create({ ...input, loadBalancerId: lbId });
    expect(await lastTrace()).toMatchObject({ traceName: "create alarm rule", resourceType: "alarmrule", resourceId: rule.id, resourceName: "alarm-router", status: "normal", code: "200", sourceIp: "192.0.2.11" });
    expect((await admin.alarmRule.list()).map((r) => r.id)).toEqual([rule.id]);
    await admin.alarmRule.update({ ...input, loadBalancerId: lbId, id: rule.id, name: "alarm-router-2" });
    expect(await lastTrace()).toMatchObject({ traceName: "update alarm rule", resourceType: "alarmrule", resourceId: rule.id, resourceName: "alarm-router-2" });
    await admin.alarmRule.setEnabled({ id: rule.id, enabled: false });
    expect(await lastTrace()).toMatchObject({ traceName: "update alarm rule", resourceId: rule.id, resourceName: "alarm-router-2" });
    expect((await admin.alarmRule.get({ id: rule.id })).rule.enabled).toBe(false);
    // A refused Modify: a warning trace naming the rule, nothing changed.
    await expect(admin.alarmRule.update({ ...input, loadBalancerId: lbId, id: rule.id, consecutivePeriods: 7 })).rejects.toThrow(/Consecutive Periods: must be a whole number between 1 and 5/);
    expect(await lastTrace()).toMatchObject({ traceName: "update alarm rule", resourceId: rule.id, resourceName: "alarm-router-2", status: "warning", code: "400" });
    await admin.alarmRule.delete({ id: rule.id });
    expect(await lastTrace()).toMatchObject({ traceName: "delete alarm rule", resourceType: "alarmrule", resourceId: rule.id, resourceName: "alarm-router-2" });
  });

  it("refuses read-only users", async () => {
    const reader = createCaller({ ...bed.ctx, user: { ...bed.ctx.user, role: "readonly" }, sourceIp: "192.0.2.12" });
    await expect(reader.alarmRule.create({ ...input, loadBalancerId: lbId })).rejects.toThrow(/Read-only users cannot change resources/);
    expect(await bed.ctx.db.select().from(alarmRules)).toEqual([]);
    expect((await reader.alarmRule.monitoredObjects()).map((o) => o.name)).toEqual(["elb-alarm-router"]);
  });
});
