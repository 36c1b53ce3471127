import { describe, expect, it } from "vitest";
import { applyCheckResult, type HealthState } from "./health-state";

function run(state: HealthState, results: string, maxRetries: number): string {
  return [...results].map((r) => applyCheckResult(state, r === "+", maxRetries)[0]).join("");
}

describe("health state machine", () => {
  it("a new member is healthy after one successful check", () => {
    expect(run({ status: "INITIAL", streak: 0 }, "+", 3)).toBe("H");
  });

  it("a new member that keeps failing turns unhealthy after maxRetries failures", () => {
    expect(run({ status: "INITIAL", streak: 0 }, "--+", 2)).toBe("IUU");
  });

  it("flips only after maxRetries consecutive opposite results", () => {
    const state: HealthState = { status: "HEALTHY", streak: 0 };
    expect(run(state, "--+---++-+++", 3)).toBe("HHHHHUUUUUUH");
  });
});
