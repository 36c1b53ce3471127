"use client";
import { MetricsRetentionCard } from "./metrics-retention-card";
import { PrometheusTokensCard } from "./prometheus-tokens-card";

/** Settings → Metrics: how long metric points are kept, and the Prometheus scrape tokens. */
export function MetricsTab() {
  return (
    <div className="space-y-4">
      <MetricsRetentionCard />
      <PrometheusTokensCard />
    </div>
  );
}
