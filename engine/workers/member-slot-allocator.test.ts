import { describe, expect, it } from "vitest";
import { SharedMemberStates } from "../pools/shared-member-states";
import { member, monitor, pool } from "../test-support/fixtures";
import { MemberSlotAllocator } from "./member-slot-allocator";

function setup(capacity = 8, holdMs = 1000) {
  const states = new SharedMemberStates(SharedMemberStates.allocate(capacity));
  let now = 0;
  const allocator = new MemberSlotAllocator(states, holdMs, () => now);
  return { states, allocator, advance: (ms: number) => (now += ms) };
}

describe("MemberSlotAllocator", () => {
  it("keeps a member's slot (and its state) across snapshots that keep the member", () => {
    const { states, allocator } = setup();
    const [a1, b1] = allocator.assign([pool("p", [member("a", 1), member("b", 2)])]);
    states.stateAt(a1!.slot).addConnections(1);
    const [a2, b2] = allocator.assign([pool("p", [member("a", 1), member("b", 2)], { name: "renamed" })]);
    expect([a2!.slot, b2!.slot]).toEqual([a1!.slot, b1!.slot]);
    expect(states.stateAt(a2!.slot).activeConnections).toBe(1);
  });

  it("gives a member that moved (another port) a fresh slot", () => {
    const { allocator } = setup();
    const [a1] = allocator.assign([pool("p", [member("a", 1)])]);
    const [a2] = allocator.assign([pool("p", [member("a", 9)])]);
    expect(a2!.slot).not.toBe(a1!.slot);
  });

  it("resets a new slot: healthy at once without a health check, not routable until checked with one", () => {
    const { states, allocator } = setup();
    const [plain, checked] = allocator.assign([pool("p", [member("a", 1)]), pool("q", [member("b", 2)], { healthMonitor: monitor() })]);
    expect(states.stateAt(plain!.slot).healthy).toBe(true);
    expect(states.stateAt(checked!.slot).healthy).toBe(false);
  });

  it("holds a removed member's slot for holdMs, then reuses it reset", () => {
    const { states, allocator, advance } = setup(2, 1000);
    const [a] = allocator.assign([pool("p", [member("a", 1)])]);
    states.stateAt(a!.slot).addConnections(1);
    allocator.assign([pool("p", [])]);
    const [b] = allocator.assign([pool("p", [member("b", 2)])]);
    expect(b!.slot).not.toBe(a!.slot); // still held: a's draining connections release on it
    allocator.assign([pool("p", [])]);
    advance(1000);
    const [c] = allocator.assign([pool("p", [member("c", 3)])]);
    expect([a!.slot, b!.slot]).toContain(c!.slot);
    expect(states.stateAt(c!.slot).activeConnections).toBe(0);
  });

  it("refuses more members than shared memory has slots", () => {
    const { allocator } = setup(2);
    expect(() => allocator.assign([pool("p", [member("a", 1), member("b", 2), member("c", 3)])])).toThrow(/no shared member slot left/);
  });
});
