import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { listeners, loadBalancers, projects } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { createLoadBalancer } from "./create-load-balancer";
import { createListener } from "../listener/create-listener";

// N parallel creations at quota − 1: the project row lock is what lets exactly one through. PGlite runs one
// transaction at a time, so the race is only real on PostgreSQL (CI runs this file again with DATABASE_URL).
const N = 8;
let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
});

const projectId = () => bed.ctx.scope.projectId;
const loadBalancerCount = async () => (await bed.ctx.db.select({ n: count() }).from(loadBalancers).where(eq(loadBalancers.projectId, projectId())))[0]!.n;
const listenerCount = async () => (await bed.ctx.db.select({ n: count() }).from(listeners))[0]!.n;
const privateLb = (name: string) => createLoadBalancer(bed.ctx, { networkType: "private", vpcId: bed.vpcId, subnetId: bed.subnetId, name });

/** Sets a quota for the duration of `body`, restoring the default afterwards whatever happens. */
async function withQuota(column: "loadBalancerQuota" | "listenerQuota", value: number, body: () => Promise<void>) {
  const [before] = await bed.ctx.db.select().from(projects).where(eq(projects.id, projectId()));
  await bed.ctx.db.update(projects).set({ [column]: value }).where(eq(projects.id, projectId()));
  try {
    await body();
  } finally {
    await bed.ctx.db.update(projects).set({ [column]: before![column] }).where(eq(projects.id, projectId()));
  }
}

/** Exactly one fulfilled, every other one refused with QUOTA_EXCEEDED. */
function expectExactlyOneWinner(results: PromiseSettledResult<unknown>[]) {
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  for (const r of results.filter((r) => r.status === "rejected")) expect(r).toMatchObject({ reason: { code: "QUOTA_EXCEEDED" } });
}

describe("quotas under concurrent creation", () => {
  it(`lets exactly one of ${N} parallel Create Elastic Load Balancer calls at quota − 1 through`, { timeout: 60_000 }, async () => {
    await privateLb("existing-1");
    await privateLb("existing-2");
    await withQuota("loadBalancerQuota", 3, async () => {
      const results = await Promise.allSettled(Array.from({ length: N }, (_, i) => privateLb(`parallel-${i}`)));
      expectExactlyOneWinner(results);
      expect(await loadBalancerCount()).toBe(3);
    });
  });

  it(`lets exactly one of ${N} parallel Add Listener calls (on ${N} load balancers of the project) at quota − 1 through`, { timeout: 60_000 }, async () => {
    const lbs = await Promise.all(Array.from({ length: N }, (_, i) => privateLb(`listener-host-${i}`)));
    await createListener(bed.ctx, { loadBalancerId: lbs[0]!.id, name: "existing", protocol: "TCP", port: 7000, pool: { mode: "new", name: "g-existing", algorithm: "ROUND_ROBIN" } });
    await withQuota("listenerQuota", 2, async () => {
      const results = await Promise.allSettled(
        lbs.map((lb, i) => createListener(bed.ctx, { loadBalancerId: lb.id, name: `l-${i}`, protocol: "TCP", port: 7100 + i, pool: { mode: "new", name: `g-${i}`, algorithm: "ROUND_ROBIN" } })),
      );
      expectExactlyOneWinner(results);
      expect(await listenerCount()).toBe(2);
    });
  });
});
