import { describe, expect, it } from "vitest";
import { member } from "../../test-support/fixtures";
import { LiveMember, LocalMemberState } from "../member-runtime";
import type { MemberRuntime } from "../pool-runtime.types";
import { createSourceIpHash, hashIp } from "./source-ip-hash";

const live = (id: string, port: number, weight = 1) =>
  new LiveMember(member(id, port, weight), new LocalMemberState(true));
const available = (m: MemberRuntime) => m.healthy && m.config.weight > 0;
const clients = Array.from({ length: 4000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);

function assign(members: MemberRuntime[]): Map<string, string> {
  const balancer = createSourceIpHash(members, available);
  return new Map(clients.map((ip) => [ip, balancer.pick(ip, undefined)!.config.id]));
}

describe("source IP hash (rendezvous)", () => {
  const members = ["a", "b", "c", "d", "e"].map((id, i) => live(id, 8000 + i));

  it("sends a client to the same member every time, and across rebuilds", () => {
    const first = assign(members);
    const again = assign(members.map((m) => live(m.config.id, m.config.port)));
    expect(again).toEqual(first);
  });

  it("spreads clients evenly, ignoring weights", () => {
    const weighted = members.map((m, i) => live(m.config.id, m.config.port, i * 20 + 1));
    const counts = new Map<string, number>();
    for (const id of assign(weighted).values()) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const count of counts.values()) expect(count).toBeGreaterThan(800 * 0.85), expect(count).toBeLessThan(800 * 1.15);
  });

  it("moves only the removed member's clients when a server is removed", () => {
    const before = assign(members);
    const after = assign(members.filter((m) => m.config.id !== "c"));
    let moved = 0;
    for (const [ip, id] of before) {
      if (id === "c") expect(after.get(ip)).not.toBe("c");
      else expect(after.get(ip)).toBe(id);
      if (after.get(ip) !== id) moved++;
    }
    expect(moved).toBe([...before.values()].filter((id) => id === "c").length);
  });

  it("moves only ~1/(n+1) of clients when a server is added", () => {
    const before = assign(members);
    const after = assign([...members, live("f", 9000)]);
    let moved = 0;
    for (const [ip, id] of before) if (after.get(ip) !== id) (moved++, expect(after.get(ip)).toBe("f"));
    expect(moved / clients.length).toBeGreaterThan(0.12);
    expect(moved / clients.length).toBeLessThan(0.22);
  });

  it("walks to the next candidate for an unhealthy member and returns when it recovers", () => {
    const local = members.map((m) => live(m.config.id, m.config.port));
    const balancer = createSourceIpHash(local, available);
    const before = clients.map((ip) => balancer.pick(ip, undefined)!);
    local[1]!.healthy = false;
    clients.forEach((ip, i) => {
      const now = balancer.pick(ip, undefined)!;
      if (before[i] !== local[1]) expect(now).toBe(before[i]);
      else expect(now).not.toBe(local[1]);
    });
    local[1]!.healthy = true;
    clients.forEach((ip, i) => expect(balancer.pick(ip, undefined)).toBe(before[i]));
  });

  it("never picks weight 0", () => {
    const local = [live("a", 1, 0), live("b", 2, 1)];
    const balancer = createSourceIpHash(local, available);
    for (const ip of clients.slice(0, 200)) expect(balancer.pick(ip, undefined)?.config.id).toBe("b");
  });

  it("hashes IPv4-mapped IPv6 like IPv4", () => {
    expect(hashIp("::ffff:10.0.0.1")).toBe(hashIp("10.0.0.1"));
    expect(hashIp("10.0.0.1")).not.toBe(hashIp("10.0.0.2"));
  });
});
