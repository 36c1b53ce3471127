import { getDb } from "@/server/runtime";
import { getMetricCollector } from "@/server/metrics/prometheus/collector-registry";
import { serveMetricsScrape } from "@/server/metrics/prometheus/serve-metrics-scrape";

export const dynamic = "force-dynamic";

/** GET /metrics: Prometheus scrape of the engine's counters; `Authorization: Bearer <token>` (Settings → Prometheus), no console session. */
export async function GET(request: Request) {
  return serveMetricsScrape(await getDb(), request, getMetricCollector());
}
