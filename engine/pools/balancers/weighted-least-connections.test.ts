import { describe, expect, it } from "vitest";
import { member } from "../../test-support/fixtures";
import { LiveMember, LocalMemberState } from "../member-runtime";
import type { MemberRuntime } from "../pool-runtime.types";
import { createWeightedLeastConnections } from "./weighted-least-connections";

const live = (id: string, weight: number) => new LiveMember(member(id, 1000, weight), new LocalMemberState(true));
const available = (m: MemberRuntime) => m.healthy && m.config.weight > 0;

describe("weighted least connections", () => {
  it("holds long-lived connections in proportion to weight (overhead = connections / weight)", () => {
    const members = [live("a", 3), live("b", 1)];
    const wlc = createWeightedLeastConnections(members, available);
    for (let i = 0; i < 400; i++) wlc.pick("", undefined)!.addConnections(1); // never released
    expect(members.map((m) => m.activeConnections)).toEqual([300, 100]);
  });

  it("sends new connections to the least loaded member", () => {
    const [a, b, c] = [live("a", 1), live("b", 1), live("c", 1)];
    const hold = (m: LiveMember, n: number) => Array.from({ length: n }, () => m.addConnections(1));
    hold(a, 5);
    hold(b, 1);
    hold(c, 3);
    const wlc = createWeightedLeastConnections([a, b, c], available);
    expect(wlc.pick("", undefined)).toBe(b);
    expect(wlc.pick("", new Set([b]))).toBe(c);
  });

  it("takes turns among equally loaded members", () => {
    const wlc = createWeightedLeastConnections([live("a", 2), live("b", 1), live("c", 5)], available);
    let out = "";
    for (let i = 0; i < 6; i++) out += wlc.pick("", undefined)!.config.id;
    expect(out).toBe("abcabc");
  });

  it("skips weight 0 and unhealthy members", () => {
    const [a, b, c] = [live("a", 0), live("b", 1), live("c", 1)];
    c.healthy = false;
    const wlc = createWeightedLeastConnections([a, b, c], available);
    for (let i = 0; i < 5; i++) expect(wlc.pick("", undefined)).toBe(b);
    b.healthy = false;
    expect(wlc.pick("", undefined)).toBeNull();
  });
});
