import { describe, expect, it } from "vitest";
import type { ConfigDiagnostic } from "./diagnostic";
import { compileAddressLimits } from "./compile-address-limits";
import { eipRow, validRows } from "./test-rows";

const compile = (rows = validRows()) => {
  const diagnostics: ConfigDiagnostic[] = [];
  return { limits: compileAddressLimits(rows, (d) => diagnostics.push(d)), diagnostics };
};

describe("compileAddressLimits", () => {
  it("limits every bound EIP to its bandwidth, sorted by address; unbound EIPs are skipped silently", () => {
    const rows = validRows();
    rows.eips.push(eipRow("eip-3", "127.20.0.1", "lb-b", { bandwidthMbit: 5 }));
    const { limits, diagnostics } = compile(rows);
    expect(diagnostics).toEqual([]);
    expect(limits).toEqual([
      { address: "127.20.0.1", megabitsPerSecond: 5 },
      { address: "127.20.0.8", megabitsPerSecond: 20 },
    ]);
  });

  it("reports an EIP bound to a load balancer that does not exist, and one without a usable bandwidth", () => {
    const rows = validRows();
    rows.eips.push(eipRow("eip-x", "127.20.0.50", "lb-gone"), eipRow("eip-y", "127.20.0.51", "lb-b", { bandwidthMbit: 0 }));
    const { limits, diagnostics } = compile(rows);
    expect(limits).toEqual([{ address: "127.20.0.8", megabitsPerSecond: 20 }]);
    expect(diagnostics.map((d) => [d.kind, d.id, d.name, d.message])).toEqual([
      ["eip", "eip-x", "127.20.0.50", "it is bound to load balancer lb-gone, which does not exist; its bandwidth limit is left out of the engine's configuration"],
      ["eip", "eip-y", "127.20.0.51", "its bandwidth 0 Mbit/s is not a whole number of at least 1; its bandwidth limit is left out of the engine's configuration"],
    ]);
  });
});
