import "server-only";
import type { Database } from "@/db/client";
import { MetricCollector, type MetricsSource } from "./collector/metric-collector";
import { registerMetricCollector } from "./prometheus/collector-registry";
import { startMetricMaintenance } from "./retention/metric-maintenance";

/**
 * The console's metric store, started with the control plane: the collector hears the supervisor's
 * reports (and is what /metrics reads), the maintenance pass rolls up and prunes every minute.
 */
export function startMetrics(db: Database, supervisor: MetricsSource): MetricCollector {
  const collector = new MetricCollector({ db });
  collector.start(supervisor);
  registerMetricCollector(collector);
  startMetricMaintenance(db);
  return collector;
}
