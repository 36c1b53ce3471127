import type { MemberRuntime, PoolRuntime } from "../pools/pool-runtime.types";
import type { SnapshotListener } from "../protocol/snapshot.types";
import { compilePhases } from "./phases/compile-phases";
import type { RequestPhase } from "./phases/phase.types";
import { AppCookiePolicy, AppCookieTable } from "./sticky/app-cookie";
import { appCookieSync } from "./sticky/app-cookie-sync";
import { LbCookiePolicy } from "./sticky/lb-cookie";
import type { StickyPolicy } from "./sticky/sticky-policy";
import type { UpstreamPool } from "./upstream-pool";
import type { UpstreamRegistry } from "./upstream-registry";

/** Client keep-alive idle timeout when the listener gives none; default 60 s. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/** What an HTTP listener forwards to: its config and its default backend server group (null = none yet). */
export interface HttpRoute {
  readonly listener: SnapshotListener;
  readonly pool: PoolRuntime | null;
}

/**
 * Everything per-route the proxy needs per request, computed once in `update(route)`: the request
 * phases, header text that does not depend on the client, member → connection pool, the sticky policy.
 */
export interface CompiledRoute {
  readonly route: HttpRoute;
  /** The listener's default backend server group (null = none: 503). */
  readonly pool: PoolRuntime | null;
  /** Request phases in order (phases/compile-phases.ts). */
  readonly phases: readonly RequestPhase[];
  /** `X-Forwarded-Proto: http(s)\r\nX-Forwarded-Port: <listener port>\r\n` (https on an HTTPS listener). */
  readonly forwardedFields: string;
  /** Client keep-alive idle timeout (listener idle timeout). */
  readonly idleTimeoutMs: number;
  /** Connection pool of each member of `pool`. */
  readonly targets: ReadonlyMap<MemberRuntime, UpstreamPool>;
  /** L7 stickiness of the default group (load balancer or application cookie); null = none. */
  readonly sticky: StickyPolicy | null;
}

/**
 * Compiles a route. `appTables` holds application-cookie tables by pool id across snapshots
 * (tables of pools no longer routed are dropped).
 */
export function compileRoute(
  route: HttpRoute,
  registry: UpstreamRegistry,
  appTables: Map<string, AppCookieTable>,
): CompiledRoute {
  const { listener, pool } = route;
  const targets = registry.resolve(pool);
  registry.retain(targets.values());
  const sticky = pool === null ? null : stickyPolicy(listener.id, pool, appTables);
  for (const [id, table] of appTables) {
    if (id === pool?.config.id) continue;
    table.unshare();
    appTables.delete(id);
  }
  const idle = listener.idleTimeoutSeconds > 0 ? listener.idleTimeoutSeconds * 1000 : DEFAULT_IDLE_TIMEOUT_MS;
  return {
    route,
    pool,
    phases: compilePhases(),

    forwardedFields: `X-Forwarded-Proto: ${listener.protocol === "HTTPS" ? "https" : "http"}\r\nX-Forwarded-Port: ${listener.port}\r\n`,
    idleTimeoutMs: idle,
    targets,
    sticky,
  };
}

function stickyPolicy(listenerId: string, pool: PoolRuntime, appTables: Map<string, AppCookieTable>): StickyPolicy | null {
  const sticky = pool.config.stickySession;
  if (sticky === null) return null;
  const durationMs = sticky.durationMinutes * 60_000;
  if (sticky.type === "HTTP_COOKIE") return new LbCookiePolicy(pool, sticky.durationMinutes);
  if (sticky.type === "APP_COOKIE" && sticky.cookieName) {
    let table = appTables.get(pool.config.id);
    if (table === undefined) {
      appTables.set(pool.config.id, (table = new AppCookieTable(durationMs)));
      const sync = appCookieSync(); // several worker threads: what one learns, all know
      if (sync !== null) table.share(sync, `${listenerId}\n${pool.config.id}`);
    } else table.setDuration(durationMs);
    return new AppCookiePolicy(sticky.cookieName, table);
  }
  return null; // SOURCE_IP stickiness lives in pool.pick()
}
