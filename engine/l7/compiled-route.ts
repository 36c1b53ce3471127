import type { MemberRuntime, PoolRuntime } from "../pools/pool-runtime.types";
import type { SnapshotListener } from "../protocol/snapshot.types";
import { compileClientIpHeaders, type ClientIpHeaders, type TrustedIpsCompiler } from "./client-ip-headers";
import { compilePhases } from "./phases/compile-phases";
import type { PolicyTarget } from "./phases/forwarding-policy";
import type { RequestPhase } from "./phases/phase.types";
import { AppCookiePolicy, AppCookieTable } from "./sticky/app-cookie";
import { appCookieSync } from "./sticky/app-cookie-sync";
import { LbCookiePolicy } from "./sticky/lb-cookie";
import type { StickyPolicy } from "./sticky/sticky-policy";
import type { UpstreamPool } from "./upstream-pool";
import type { UpstreamRegistry } from "./upstream-registry";

/** Client keep-alive idle timeout when the listener gives none; default 60 s. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/**
 * What an HTTP listener forwards to: its config, its default backend server group (null = none yet) and
 * the groups its forwarding policies target, by pool id (absent = no policies).
 */
export interface HttpRoute {
  readonly listener: SnapshotListener;
  readonly pool: PoolRuntime | null;
  readonly policyPools?: ReadonlyMap<string, PoolRuntime>;
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
  /** X-Forwarded-For mode, the X-Forwarded-Proto/-Port/-Host and X-Real-IP switches (fixed lines precompiled), Trusted IPs, Real IP Header. */
  readonly clientIp: ClientIpHeaders;
  /** Client keep-alive idle timeout (listener idle timeout). */
  readonly idleTimeoutMs: number;
  /** Connection pool of each member of every group a request can go to: `pool` and each policy's pool. */
  readonly targets: ReadonlyMap<MemberRuntime, UpstreamPool>;
  /** L7 stickiness of the default group (load balancer or application cookie); null = none. */
  readonly sticky: StickyPolicy | null;
}

/**
 * Compiles a route. `appTables` holds application-cookie tables by pool id across snapshots
 * (tables of pools no longer routed are dropped). A redirected listener routes to no group: its
 * default group and policies are inactive (guide 3.8.4), so none of their connections are kept.
 * `compileTrusted` compiles the listener's Trusted IPs (absent: nobody is trusted).
 */
export function compileRoute(
  route: HttpRoute,
  registry: UpstreamRegistry,
  appTables: Map<string, AppCookieTable>,
  compileTrusted?: TrustedIpsCompiler,
): CompiledRoute {
  const { listener } = route;
  const redirected = listener.redirect != null;
  const pool = redirected ? null : route.pool;
  const routed = redirected ? [] : routedPools(pool, route.policyPools);
  const targets = new Map<MemberRuntime, UpstreamPool>();
  const byPool = new Map<string, PolicyTarget>(); // each routed group with its stickiness (one policy object per group)
  for (const one of routed) {
    for (const [member, upstream] of registry.resolve(one)) targets.set(member, upstream);
    byPool.set(one.config.id, { pool: one, sticky: stickyPolicy(listener.id, one, appTables) });
  }
  registry.retain(targets.values());
  for (const [id, table] of appTables) {
    if (byPool.has(id)) continue;
    table.unshare();
    appTables.delete(id);
  }
  const sticky = pool === null ? null : byPool.get(pool.config.id)!.sticky;
  const policyTargets = new Map<string, PolicyTarget>();
  if (!redirected && route.policyPools !== undefined) for (const id of route.policyPools.keys()) policyTargets.set(id, byPool.get(id)!);
  const idle = listener.idleTimeoutSeconds > 0 ? listener.idleTimeoutSeconds * 1000 : DEFAULT_IDLE_TIMEOUT_MS;
  return {
    route,
    pool,
    phases: compilePhases(listener, policyTargets),
    clientIp: compileClientIpHeaders(listener, compileTrusted),
    idleTimeoutMs: idle,
    targets,
    sticky,
  };
}

/** The default group and every policy group, each once (by pool id). */
function routedPools(pool: PoolRuntime | null, policyPools: ReadonlyMap<string, PoolRuntime> | undefined): PoolRuntime[] {
  const out = new Map<string, PoolRuntime>();
  if (pool !== null) out.set(pool.config.id, pool);
  if (policyPools !== undefined) for (const [id, one] of policyPools) if (!out.has(id)) out.set(id, one);
  return [...out.values()];
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
