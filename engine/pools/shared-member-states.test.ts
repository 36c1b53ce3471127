import { describe, expect, it } from "vitest";
import { member } from "../test-support/fixtures";
import { SharedMemberStates } from "./shared-member-states";

describe("SharedMemberStates", () => {
  it("finds a member's state by the slot the primary assigned, one view per slot", () => {
    const states = new SharedMemberStates(SharedMemberStates.allocate(4));
    states.assign([{ poolId: "p", memberId: "a", address: "127.0.0.1", port: 1, slot: 3 }]);
    expect(states.stateFor("p", member("a", 1))).toBe(states.stateAt(3));
    expect(states.stateFor("p", member("a", 2))).toBeUndefined(); // another server
    expect(states.stateFor("q", member("a", 1))).toBeUndefined(); // another pool
    expect(() => states.stateAt(4)).toThrow(RangeError);
  });

  it("keeps the fields of one slot apart from the next slot's", () => {
    const states = new SharedMemberStates(SharedMemberStates.allocate(2));
    const a = states.stateAt(0);
    const b = states.stateAt(1);
    a.addConnections(1);
    a.healthy = true;
    a.failures = 2;
    a.ejectedUntil = 1_700_000_000_123;
    expect([b.activeConnections, b.healthy, b.failures, b.ejectedUntil]).toEqual([0, false, 0, 0]);
    expect([a.activeConnections, a.healthy, a.failures, a.ejectedUntil]).toEqual([1, true, 2, 1_700_000_000_123]);
    states.reset(0, false);
    expect([a.activeConnections, a.healthy, a.failures, a.ejectedUntil]).toEqual([0, false, 0, 0]);
  });

  it("never counts below zero", () => {
    const state = new SharedMemberStates(SharedMemberStates.allocate(1)).stateAt(0);
    state.addConnections(-1);
    expect(state.activeConnections).toBe(0);
  });

  it("locks a pool by its first member's slot, and takes over a lock whose holder died", () => {
    const buffer = SharedMemberStates.allocate(2);
    const one = new SharedMemberStates(buffer); // two threads' views of one buffer
    const other = new SharedMemberStates(buffer);
    const lock = one.lockFor(one.stateAt(0));
    lock.acquire();
    const word = new Int32Array(buffer, 2 * 16, 8); // after the Float64 fields: slot 0's ints, then slot 1's
    expect(word[3]).toBe(1);
    lock.release();
    expect(word[3]).toBe(0);
    lock.acquire(); // held, and its holder never releases it (ended mid-pick)
    const started = Date.now();
    other.lockFor(other.stateAt(0)).acquire(); // spins, then takes it over instead of hanging
    expect(Date.now() - started).toBeLessThan(5000);
    expect(word[3]).toBe(1);
    expect(word[7]).toBe(0); // slot 1's lock untouched
  });
});
