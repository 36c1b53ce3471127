import { describe, expect, it } from "vitest";
import { member } from "../../test-support/fixtures";
import { LiveMember, LocalMemberState } from "../member-runtime";
import type { MemberRuntime } from "../pool-runtime.types";
import { createWeightedRoundRobin } from "./weighted-round-robin";

const live = (id: string, weight: number) => new LiveMember(member(id, 1000, weight), new LocalMemberState(true));
const available = (m: MemberRuntime) => m.healthy && m.config.weight > 0;

function picks(balancer: ReturnType<typeof createWeightedRoundRobin>, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += balancer.pick("", undefined)?.config.id ?? "-";
  return out;
}

describe("weighted round robin (smooth, nginx)", () => {
  it("interleaves 5,1,1 exactly like nginx: a a b a c a a", () => {
    const wrr = createWeightedRoundRobin([live("a", 5), live("b", 1), live("c", 1)], available);
    expect(picks(wrr, 7)).toBe("aabacaa");
    expect(picks(wrr, 7)).toBe("aabacaa");
  });

  it("matches the weight ratio exactly over 1000+ picks", () => {
    const members = [live("a", 3), live("b", 2), live("c", 5)];
    const wrr = createWeightedRoundRobin(members, available);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 1000; i++) counts[wrr.pick("", undefined)!.config.id]!++;
    expect(counts).toEqual({ a: 300, b: 200, c: 500 });
  });

  it("plain round robin when weights are equal", () => {
    const wrr = createWeightedRoundRobin([live("a", 7), live("b", 7), live("c", 7)], available);
    expect(picks(wrr, 6)).toBe("abcabc");
  });

  it("never picks weight 0, unhealthy or excluded members", () => {
    const a = live("a", 1);
    const b = live("b", 0);
    const c = live("c", 1);
    const wrr = createWeightedRoundRobin([a, b, c], available);
    expect(picks(wrr, 4)).toBe("acac");
    c.healthy = false;
    expect(picks(wrr, 3)).toBe("aaa");
    expect(wrr.pick("", new Set([a]))).toBeNull();
    c.healthy = true;
    expect(wrr.pick("", new Set([a]))?.config.id).toBe("c");
  });

  it("returns null for an empty pool", () => {
    expect(createWeightedRoundRobin([], available).pick("", undefined)).toBeNull();
  });
});
