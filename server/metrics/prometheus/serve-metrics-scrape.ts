import "server-only";
import type { Database } from "@/db/client";
import type { MemberHealthReport } from "@/engine/protocol/ipc.types";
import type { MetricsReport } from "@/engine/protocol/metrics.types";
import { authenticateMetricsScrape } from "./metrics-token";
import { renderPrometheus } from "./render-prometheus";
import { loadScrapeInventory } from "./scrape-inventory";

/** Where a scrape reads the engine's numbers from (the running collector; nothing when none runs). */
export interface ScrapeSource {
  latest(): MetricsReport | null;
  health(): ReadonlyMap<string, MemberHealthReport>;
}

/**
 * `GET /metrics`: 401 (with WWW-Authenticate) unless `Authorization: Bearer <token>` names a token an
 * administrator created; then the Prometheus text of the engine's latest report.
 */
export async function serveMetricsScrape(db: Database, request: Request, source: ScrapeSource | undefined): Promise<Response> {
  const tokenId = await authenticateMetricsScrape(db, request.headers.get("authorization"));
  if (!tokenId)
    return new Response("401 Unauthorized: send Authorization: Bearer <token> (Settings → Prometheus)\n", {
      status: 401,
      headers: { "content-type": "text/plain; charset=utf-8", "www-authenticate": 'Bearer realm="elb-metrics"', "cache-control": "no-store" },
    });
  const { contentType, body } = await renderPrometheus(source?.latest() ?? null, source?.health() ?? new Map(), await loadScrapeInventory(db));
  return new Response(body, { status: 200, headers: { "content-type": contentType, "cache-control": "no-store" } });
}
