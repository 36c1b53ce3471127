import "server-only";
import type { MetricCollector } from "../collector/metric-collector";

// Like the control plane, the collector is started by the instrumentation hook and read by the /metrics
// route, which Next.js loads as a separate bundle: the one collector of the process lives on globalThis.
const globalForCollector = globalThis as unknown as { __elbMetricCollector?: MetricCollector };

/** The metric collector of this console process, if the control plane started one. */
export function getMetricCollector(): MetricCollector | undefined {
  return globalForCollector.__elbMetricCollector;
}

/** Records the started collector (by `startControlPlane`, once per process). */
export function registerMetricCollector(collector: MetricCollector | undefined): void {
  globalForCollector.__elbMetricCollector = collector;
}
