"use client";
import { useEffect, useState, type ReactNode } from "react";
import { Button } from "@/app/_components/ui/button";
import { errorMessage, formatDateTime } from "@/app/_lib/format";
import type { MetricObjectKind } from "@/db/schema";
import type { MetricId } from "@/server/metrics/metric-catalog";
import { Switch } from "../backend-server-groups/switch";
import { MetricChartCard } from "./metric-chart-card";
import { MetricPicker } from "./metric-picker";
import { availableMetrics, chartedMetrics } from "./monitoring-metrics";
import { resolutionLabel, resolveTimeRange, type TimeRangeChoice } from "./time-range";
import { TimeRangePicker } from "./time-range-picker";
import { useMetricSeries } from "./use-metric-series";

/** How often auto-refresh moves the range to now and reloads (the engine's points are 1 minute apart). */
export const AUTO_REFRESH_MS = 60_000;

/**
 * The charts of one monitored object (a load balancer or a listener): time range, auto-refresh (on by
 * default, every 60 s) and Refresh, the metric picker, and a chart per charted metric. `layer7` says
 * whether the object has the HTTP/HTTPS metrics; `dimension` is an extra control shown first (the load
 * balancer tab's object choice).
 */
export function MonitoringView({ objectKind, objectId, layer7, dimension }: { objectKind: MetricObjectKind; objectId: string; layer7: boolean; dimension?: ReactNode }) {
  const [range, setRange] = useState<TimeRangeChoice>({ preset: "1h" });
  const [autoRefresh, setAutoRefresh] = useState(true);
  const [now, setNow] = useState(() => Date.now());
  const [picked, setPicked] = useState<MetricId[] | null>(null);

  useEffect(() => {
    if (!autoRefresh) return;
    const timer = setInterval(() => setNow(Date.now()), AUTO_REFRESH_MS);
    return () => clearInterval(timer);
  }, [autoRefresh]);

  const available = availableMetrics(objectKind, layer7);
  const charted = chartedMetrics(available, picked);
  const resolved = resolveTimeRange(range, now);
  const shown = resolved.ok ? { from: resolved.from, to: resolved.to } : null;
  const query = useMetricSeries(
    objectKind,
    objectId,
    charted.map((m) => m.id),
    shown,
  );
  const changeRange = (next: TimeRangeChoice) => {
    setRange(next);
    setNow(Date.now());
  };

  return (
    <div>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          {dimension}
          <TimeRangePicker value={range} onChange={changeRange} error={resolved.ok ? null : resolved.message} />
        </div>
        <div className="flex items-center gap-3">
          <span className="flex items-center gap-2 text-sm text-slate-600">
            Auto Refresh
            <Switch id={`auto-refresh-${objectId}`} label="Auto Refresh" checked={autoRefresh} onChange={setAutoRefresh} />
          </span>
          <Button variant="secondary" onClick={() => setNow(Date.now())}>
            Refresh
          </Button>
          <MetricPicker available={available} charted={charted.map((m) => m.id)} onChange={setPicked} />
        </div>
      </div>
      {shown && (
        <p className="mb-2 text-xs text-slate-500">
          {formatDateTime(new Date(shown.from))} – {formatDateTime(new Date(shown.to))}
          {query.data && ` · ${resolutionLabel(query.data.resolutionSeconds)}`}
          {query.isFetching && " · loading…"}
        </p>
      )}
      {query.error && (
        <p role="alert" className="mb-2 text-sm text-red-600">
          Could not load the metrics: {errorMessage(query.error)}
        </p>
      )}
      {charted.length === 0 ? (
        <p className="py-8 text-center text-slate-500">No metric selected. Choose metrics with Metrics.</p>
      ) : (
        <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
          {charted.map((metric) => (
            <MetricChartCard key={metric.id} metric={metric} series={query.data} from={shown?.from ?? now} to={shown?.to ?? now} />
          ))}
        </div>
      )}
    </div>
  );
}
