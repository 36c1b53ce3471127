import type { MemberHealthReport } from "../protocol/ipc.types";
import type { HealthCheckProtocol } from "../protocol/snapshot.types";
import { isEjected } from "../pools/passive-ejection";
import type { PoolRuntime } from "../pools/pool-runtime.types";
import type { HealthCheck } from "./checks/check.types";
import { DEFAULT_CHECKS, PoolHealthChecker, type HealthListener } from "./health-checker";

/**
 * Health checking for every pool of the applied snapshot: one PoolHealthChecker per pool with a
 * health monitor, kept across snapshots by pool id so unchanged members keep their state.
 */
export class HealthRegistry {
  private readonly checkers = new Map<string, PoolHealthChecker>();
  private pools: readonly PoolRuntime[] = [];

  constructor(
    /** Called on every member health transition. */
    private readonly listener: HealthListener,
    private readonly checks: Readonly<Record<HealthCheckProtocol, HealthCheck>> = DEFAULT_CHECKS,
  ) {}

  /** Applies the pool runtimes of a new snapshot. */
  update(pools: Iterable<PoolRuntime>): void {
    this.pools = [...pools];
    const seen = new Set<string>();
    for (const pool of this.pools) {
      if (pool.config.healthMonitor === null) continue;
      seen.add(pool.config.id);
      let checker = this.checkers.get(pool.config.id);
      if (checker === undefined) {
        checker = new PoolHealthChecker(pool.config.id, this.listener, this.checks);
        this.checkers.set(pool.config.id, checker);
      }
      checker.update(pool);
    }
    for (const [poolId, checker] of this.checkers) {
      if (seen.has(poolId)) continue;
      checker.stop();
      this.checkers.delete(poolId);
    }
  }

  /**
   * Every member of every pool: checked members with their status, the rest NO_MONITOR; each with its
   * passive health (`ejected`, `consecutiveFailures`: see pools/passive-ejection.ts) once it has failed a connect.
   */
  report(): MemberHealthReport[] {
    const out: MemberHealthReport[] = [];
    for (const pool of this.pools) {
      const checker = this.checkers.get(pool.config.id);
      const status = checker === undefined ? null : new Map(checker.report().map((r) => [r.memberId, r.status]));
      for (const m of pool.members) {
        const id = m.config.id;
        const checked = status === null ? "NO_MONITOR" : status.get(id);
        if (checked === undefined) continue;
        const report: MemberHealthReport = { poolId: pool.config.id, memberId: id, status: checked };
        if (m.failures > 0 || isEjected(m)) {
          report.ejected = isEjected(m);
          report.consecutiveFailures = m.failures;
        }
        out.push(report);
      }
    }
    return out;
  }

  /** Stops all checks. */
  stop(): void {
    for (const checker of this.checkers.values()) checker.stop();
    this.checkers.clear();
  }
}
