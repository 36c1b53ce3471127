import { describe, expect, it } from "vitest";
import { coarseClock, tickClock } from "../io/coarse-clock";
import { member, pool } from "../test-support/fixtures";
import { isEjected, memberFailed, memberSucceeded } from "./passive-ejection";
import { createPoolRuntime } from "./pool-runtime";

const policy = { maxFails: 2, failTimeoutMs: 1000 };

describe("passive ejection", () => {
  it("skips a member after maxFails consecutive failures until the window ends; a success clears the run", () => {
    const now = tickClock();
    const runtime = createPoolRuntime(pool("p", [member("a", 1), member("b", 2)]));
    const a = runtime.byId("a")!;
    expect(memberFailed(a, policy, now)).toBe(false);
    memberSucceeded(a);
    expect(memberFailed(a, policy, now)).toBe(false); // the run restarted
    expect(memberFailed(a, policy, now)).toBe(true);
    expect(isEjected(a, now)).toBe(true);
    expect(runtime.isAvailable(a)).toBe(false);
    for (let i = 0; i < 6; i++) expect(runtime.pick("10.0.0.1")?.config.id).toBe("b");
    coarseClock.now = now + 1001; // the window is over: picked again
    const seen = new Set(Array.from({ length: 4 }, () => runtime.pick("10.0.0.1")!.config.id));
    expect(seen).toEqual(new Set(["a", "b"]));
    tickClock();
  });

  it("maxFails 0 never ejects", () => {
    const a = createPoolRuntime(pool("p", [member("a", 1)])).byId("a")!;
    for (let i = 0; i < 10; i++) expect(memberFailed(a, { maxFails: 0, failTimeoutMs: 1000 })).toBe(false);
  });

  it("readmits every member when all are ejected, rather than answer no member", () => {
    const runtime = createPoolRuntime(pool("p", [member("a", 1), member("b", 2)]));
    for (const m of runtime.members) memberFailed(m, { maxFails: 1, failTimeoutMs: 60_000 });
    expect(runtime.members.every((m) => isEjected(m))).toBe(true);
    expect(runtime.pick("10.0.0.1")).not.toBeNull();
    expect(runtime.members.some((m) => isEjected(m))).toBe(false);
  });
});
