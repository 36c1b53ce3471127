import { describe, expect, it } from "vitest";
import { METRICS } from "@/server/metrics/metric-catalog";
import { availableMetrics, chartedMetrics, DEFAULT_METRICS, hasLayer7Metrics } from "./monitoring-metrics";
import { resolutionLabel, resolveTimeRange, TIME_RANGE_PRESETS, toDateTimeLocal } from "./time-range";

const ids = (list: { id: string }[]) => list.map((m) => m.id);

describe("metrics a Monitoring view offers", () => {
  it("offers a TCP/UDP listener the guide's layer-4 metrics only, without server health", () => {
    expect(hasLayer7Metrics("TCP")).toBe(false);
    expect(hasLayer7Metrics("UDP")).toBe(false);
    expect(ids(availableMetrics("LISTENER", false))).toEqual(["m1_cps", "m2_act_conn", "m3_inact_conn", "m4_ncps", "m5_in_pps", "m6_out_pps", "m7_in_Bps", "m8_out_Bps"]);
  });

  it("offers an HTTP/HTTPS listener every listener metric of 8.1, layer 7 included", () => {
    expect(hasLayer7Metrics("HTTP")).toBe(true);
    expect(hasLayer7Metrics("HTTPS")).toBe(true);
    const l7 = ids(availableMetrics("LISTENER", true));
    expect(l7).toEqual(METRICS.filter((m) => m.id !== "m9_abnormal_servers" && m.id !== "ma_normal_servers").map((m) => m.id));
    expect(l7).toContain("m14_l7_rt");
    expect(l7).toContain("m12_l7_http_499");
  });

  it("offers a load balancer server health too, and layer 7 only when it has an HTTP/HTTPS listener", () => {
    expect(ids(availableMetrics("LOAD_BALANCER", true))).toEqual(METRICS.map((m) => m.id));
    const l4 = ids(availableMetrics("LOAD_BALANCER", false));
    expect(l4).toContain("m9_abnormal_servers");
    expect(l4).toContain("ma_normal_servers");
    expect(l4.some((id) => id.includes("l7"))).toBe(false);
  });

  it("charts the defaults the object has, or what was picked, in the guide's order", () => {
    expect(ids(chartedMetrics(availableMetrics("LISTENER", false), null))).toEqual(["m1_cps", "m4_ncps", "m7_in_Bps", "m8_out_Bps"]);
    expect(ids(chartedMetrics(availableMetrics("LISTENER", true), null))).toEqual([...DEFAULT_METRICS]);
    // Picked out of order, and a layer-7 pick on a TCP listener is dropped.
    expect(ids(chartedMetrics(availableMetrics("LISTENER", false), ["m8_out_Bps", "mb_l7_queries", "m5_in_pps"]))).toEqual(["m5_in_pps", "m8_out_Bps"]);
    expect(chartedMetrics(availableMetrics("LISTENER", true), [])).toEqual([]);
  });

  it("describes packets/s as the engine measures it", () => {
    const pps = availableMetrics("LISTENER", false).find((m) => m.id === "m5_in_pps")!;
    expect(pps.description).toMatch(/socket read/);
  });
});

describe("time range", () => {
  const now = Date.UTC(2026, 11, 1, 12, 0);

  it("reaches back each preset's length from now", () => {
    const hours = { "1h": 1, "3h": 3, "12h": 12, "1d": 24, "7d": 168 } as const;
    for (const [preset, h] of Object.entries(hours)) {
      expect(resolveTimeRange({ preset: preset as keyof typeof hours }, now)).toEqual({ ok: true, from: now - h * 3_600_000, to: now });
    }
    expect(TIME_RANGE_PRESETS.map((p) => p.label)).toEqual(["1 h", "3 h", "12 h", "1 d", "7 d", "Custom"]);
  });

  it("takes a custom range in the browser's time, clips a future end to now, and names the wrong field", () => {
    const from = now - 2 * 3_600_000;
    const to = now - 3_600_000;
    expect(resolveTimeRange({ preset: "custom", customFrom: toDateTimeLocal(from), customTo: toDateTimeLocal(to) }, now)).toEqual({ ok: true, from, to });
    expect(resolveTimeRange({ preset: "custom", customFrom: toDateTimeLocal(from), customTo: toDateTimeLocal(now + 3_600_000) }, now)).toEqual({ ok: true, from, to: now });
    expect(resolveTimeRange({ preset: "custom", customTo: toDateTimeLocal(to) }, now)).toMatchObject({ ok: false, field: "From" });
    expect(resolveTimeRange({ preset: "custom", customFrom: toDateTimeLocal(from) }, now)).toMatchObject({ ok: false, field: "To" });
    expect(resolveTimeRange({ preset: "custom", customFrom: toDateTimeLocal(to), customTo: toDateTimeLocal(from) }, now)).toMatchObject({ ok: false, field: "To", message: "To must be later than From." });
    expect(resolveTimeRange({ preset: "custom", customFrom: toDateTimeLocal(now + 120_000), customTo: toDateTimeLocal(now + 240_000) }, now)).toMatchObject({ ok: false, field: "From" });
  });

  it("names the resolution of the points shown", () => {
    expect(resolutionLabel(60)).toBe("1-minute points");
    expect(resolutionLabel(300)).toBe("5-minute points");
    expect(resolutionLabel(3600)).toBe("1-hour points");
  });
});
