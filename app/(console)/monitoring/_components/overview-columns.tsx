"use client";
import Link from "next/link";
import type { Column } from "@/app/_components/data-table/data-table";
import { formatMetricValue } from "@/app/_components/charts/format-metric-value";
import { TimeSeriesChart } from "@/app/_components/charts/time-series-chart";
import { metricDefinition, type MetricId } from "@/server/metrics/metric-catalog";
import type { LoadBalancerOverview } from "@/server/metrics/metric-series.types";

/** The key numbers of the overview, in this order, with their short column headers: the latest 1-minute value of each. */
export const OVERVIEW_METRICS: readonly { id: MetricId; header: string }[] = [
  { id: "m1_cps", header: "Concurrent" },
  { id: "m4_ncps", header: "New Conn." },
  { id: "m7_in_Bps", header: "Inbound" },
  { id: "m8_out_Bps", header: "Outbound" },
  { id: "mb_l7_queries", header: "L7 Queries" },
  { id: "mf_l7_http_5xx", header: "5xx" },
  { id: "m9_abnormal_servers", header: "Unhealthy Servers" },
];

/** The sparkline's metric: inbound rate (every protocol has it), or the first the series carries. */
export function sparklineMetric(row: LoadBalancerOverview): MetricId | undefined {
  const present = Object.keys(row.sparkline.values) as MetricId[];
  return present.includes("m7_in_Bps") ? "m7_in_Bps" : present[0];
}

function Sparkline({ row }: { row: LoadBalancerOverview }) {
  const id = sparklineMetric(row);
  if (!id) return <span className="text-slate-400">—</span>;
  const { times, values, resolutionSeconds } = row.sparkline;
  const to = times.length ? Math.max(Date.now(), times[times.length - 1]!) : Date.now();
  const name = metricDefinition(id).name;
  return (
    <div className="w-32" title={`${name}, last hour`}>
      <TimeSeriesChart compact label={`${name} of ${row.name}, last hour`} series={[{ label: name }]} unit={metricDefinition(id).unit} times={times} values={[values[id] ?? []]} resolutionSeconds={resolutionSeconds} from={to - 3_600_000} to={to} />
    </div>
  );
}

/** Columns of the overview table: name (opens the load balancer's Monitoring tab), key numbers, sparkline. */
export function overviewColumns(): Column<LoadBalancerOverview>[] {
  return [
    {
      id: "name",
      header: "Load Balancer",
      cell: (row) => (
        <Link href={`/load-balancers/${row.loadBalancerId}?tab=monitoring`} className="font-medium text-brand hover:underline">
          {row.name}
        </Link>
      ),
    },
    ...OVERVIEW_METRICS.map(({ id, header }): Column<LoadBalancerOverview> => {
      const metric = metricDefinition(id);
      return {
        id,
        header,
        className: "tabular-nums whitespace-nowrap",
        cell: (row) => <span title={metric.name}>{formatMetricValue(row.latest[id], metric.unit)}</span>,
      };
    }),
    { id: "sparkline", header: "Inbound Rate (1 h)", cell: (row) => <Sparkline row={row} /> },
  ];
}
