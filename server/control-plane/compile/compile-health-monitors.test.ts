import { describe, expect, it } from "vitest";
import type { ConfigDiagnostic } from "./diagnostic";
import { compileHealthMonitors } from "./compile-health-monitors";
import { healthMonitorRow, validRows } from "./test-rows";

const compile = (rows = validRows()) => {
  const diagnostics: ConfigDiagnostic[] = [];
  return { monitors: compileHealthMonitors(rows, (d) => diagnostics.push(d)), diagnostics };
};

describe("compileHealthMonitors", () => {
  it("compiles enabled checks with the timeout clamped to the interval; disabled ones compile to nothing", () => {
    const { monitors, diagnostics } = compile();
    expect(diagnostics).toEqual([]);
    expect(monitors.get("p-http")).toEqual({
      protocol: "HTTP",
      domainName: "www.example.com",
      port: null,
      intervalSeconds: 2,
      timeoutSeconds: 2,
      path: "/health",
      maxRetries: 3,
      expectedCodes: [200, 202, 401],
    });
    expect(monitors.has("p-udp")).toBe(false);
  });

  it("reports a health check of a group that does not exist and ignores it", () => {
    const rows = validRows();
    rows.healthMonitors.push(healthMonitorRow("h-orphan", "p-gone"));
    const { monitors, diagnostics } = compile(rows);
    expect(monitors.has("p-gone")).toBe(false);
    expect(diagnostics).toEqual([
      { kind: "healthMonitor", id: "h-orphan", name: "", message: "it checks backend server group p-gone, which does not exist; the health check is left out of the engine's configuration" },
    ]);
  });
});
