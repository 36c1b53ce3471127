import { describe, expect, it } from "vitest";
import type { MemberHealthReport } from "@/engine/protocol/ipc.types";
import type { ControlPlane } from "./control-plane-registry";
import { liveEngineView } from "./live-engine-view";

/** A control plane whose supervisor holds the given health reports (what the engine's "health" messages left). */
function controlPlaneWith(reports: MemberHealthReport[], state: "running" | "restarting" = "running"): ControlPlane {
  const supervisor = { status: { state, listenerErrors: [] }, health: new Map(reports.map((r) => [r.memberId, r])) };
  return { supervisor, publisher: { diagnostics: () => [] } } as unknown as ControlPlane;
}

describe("live engine view", () => {
  it("reads the health check status and the passive health (ejected, consecutive failures) of each report", () => {
    const view = liveEngineView(
      controlPlaneWith([
        { poolId: "p", memberId: "ejected", status: "HEALTHY", ejected: true, consecutiveFailures: 3 },
        { poolId: "p", memberId: "failing", status: "NO_MONITOR", ejected: false, consecutiveFailures: 1 },
        { poolId: "p", memberId: "older-engine", status: "UNHEALTHY" },
        { poolId: "p", memberId: "count-only", status: "HEALTHY", consecutiveFailures: 2 },
      ]),
    );
    expect(view.running).toBe(true);
    expect(view.memberHealth("ejected")).toBe("HEALTHY");
    expect(view.memberPassiveHealth("ejected")).toEqual({ ejected: true, consecutiveFailures: 3 });
    expect(view.memberPassiveHealth("failing")).toEqual({ ejected: false, consecutiveFailures: 1 });
    // An engine that sends no passive fields: nothing claimed.
    expect(view.memberHealth("older-engine")).toBe("UNHEALTHY");
    expect(view.memberPassiveHealth("older-engine")).toBeUndefined();
    // A missing field reads as "not ejected" / 0.
    expect(view.memberPassiveHealth("count-only")).toEqual({ ejected: false, consecutiveFailures: 2 });
    expect(view.memberPassiveHealth("unknown")).toBeUndefined();
  });

  it("is not running while the supervisor restarts the engine", () => {
    expect(liveEngineView(controlPlaneWith([], "restarting")).running).toBe(false);
  });
});
