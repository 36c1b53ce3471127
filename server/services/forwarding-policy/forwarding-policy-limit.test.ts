import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { forwardingPolicies, pools } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { createPool } from "../pool/create-pool";
import { createTestLoadBalancer } from "../listener/test-fixtures";
import { createForwardingPolicy } from "./create-forwarding-policy";
import { deleteForwardingPolicy } from "./delete-forwarding-policy";
import { FORWARDING_POLICY_LIMIT } from "./forwarding-policy.schemas";
import { createHttpListener, newPolicyInput } from "./test-fixtures";

// At most 500 forwarding policies per listener (guide 3.8.1), also when creations race: the listener's row
// lock lets exactly one of N parallel calls at 499 through. PGlite runs one transaction at a time, so the
// race is only real on PostgreSQL (CI runs this file again with DATABASE_URL).
const N = 8;
let bed: ServiceTestBed;
let lbId: string;
beforeAll(async () => {
  bed = await createServiceTestBed();
  lbId = (await createTestLoadBalancer(bed, "elb-policy-limit")).id;
});
afterAll(async () => {
  await bed?.close();
});

const policyCount = async (listenerId: string) => (await bed.ctx.db.select({ n: count() }).from(forwardingPolicies).where(eq(forwardingPolicies.listenerId, listenerId)))[0]!.n;
const poolCount = async () => (await bed.ctx.db.select({ n: count() }).from(pools))[0]!.n;

/** Fills a listener with `n` policies on one group, written directly (the service path is tested elsewhere). */
async function fill(listenerId: string, n: number) {
  const group = await createPool(bed.ctx, { loadBalancerId: lbId, name: `bulk-${listenerId.slice(0, 8)}`, protocol: "HTTP", algorithm: "ROUND_ROBIN" });
  await bed.ctx.db.insert(forwardingPolicies).values(Array.from({ length: n }, (_, i) => ({ listenerId, name: `bulk-${i}`, url: `/bulk/${i}`, urlMatchRule: "EXACT" as const, poolId: group.id, position: i + 1 })));
}

describe(`at most ${FORWARDING_POLICY_LIMIT} forwarding policies per listener`, () => {
  it("takes the 500th, refuses the 501st naming the listener and the limit, and takes one again after a delete", async () => {
    const listener = await createHttpListener(bed, lbId, 80);
    await fill(listener.id, 499);
    const last = await createForwardingPolicy(bed.ctx, newPolicyInput(listener.id, "the-500th", { url: "/500" }));
    expect(last.position).toBe(500);
    const state = async () => [await policyCount(listener.id), await poolCount()];
    await expectAppError(
      () => createForwardingPolicy(bed.ctx, newPolicyInput(listener.id, "the-501st", { url: "/501" })),
      { code: "QUOTA_EXCEEDED", message: /^Quota exceeded: listener listener-http-80 can have at most 500 forwarding policies \(guide 3\.8\.1\); delete a forwarding policy first$/ },
      state,
    );
    await deleteForwardingPolicy(bed.ctx, { id: last.id });
    expect((await createForwardingPolicy(bed.ctx, newPolicyInput(listener.id, "again", { url: "/501" }))).position).toBe(500);
  });

  it(`lets exactly one of ${N} parallel Add Forwarding Policy calls at 499 through, and leaves no group of the others behind`, { timeout: 60_000 }, async () => {
    const listener = await createHttpListener(bed, lbId, 81);
    await fill(listener.id, 499);
    const pools = await poolCount();
    const results = await Promise.allSettled(Array.from({ length: N }, (_, i) => createForwardingPolicy(bed.ctx, newPolicyInput(listener.id, `race-${i}`, { url: `/race/${i}` }))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) expect(r).toMatchObject({ reason: { code: "QUOTA_EXCEEDED" } });
    expect(await policyCount(listener.id)).toBe(500);
    expect(await poolCount()).toBe(pools + 1);
  });

  it(`parallel calls below the limit all succeed, each in its own place (no two with one position)`, { timeout: 60_000 }, async () => {
    const listener = await createHttpListener(bed, lbId, 82);
    const results = await Promise.all(Array.from({ length: N }, (_, i) => createForwardingPolicy(bed.ctx, newPolicyInput(listener.id, `p-${i}`, { url: `/p/${i}` }))));
    expect(results.map((r) => r.position).sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
  });
});
