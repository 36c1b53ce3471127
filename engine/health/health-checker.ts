import type { MemberHealthReport } from "../protocol/ipc.types";
import type { HealthCheckProtocol } from "../protocol/snapshot.types";
import { probeProxyHeader } from "../pools/client-ip-transport";
import type { MemberRuntime, PoolRuntime } from "../pools/pool-runtime.types";
import type { HealthCheck } from "./checks/check.types";
import { httpCheck } from "./checks/http";
import { tcpCheck } from "./checks/tcp";
import { udpCheck } from "./checks/udp";
import type { ProbeStatus } from "./health-state";
import { MemberProbe } from "./member-probe";

/** The check for each health check protocol. */
export const DEFAULT_CHECKS: Readonly<Record<HealthCheckProtocol, HealthCheck>> = {
  TCP: tcpCheck,
  HTTP: httpCheck,
  UDP: udpCheck,
};

/** Receives every health transition of a member. */
export type HealthListener = (report: MemberHealthReport) => void;

/**
 * Health checks of one backend server group: one MemberProbe per member (its own timer, interval,
 * timeout, port override). `update` with the pool's runtime from each snapshot keeps the probes (and
 * their state) of unchanged members (same id, address, port), starts probes for new members and
 * stops those of removed ones. A pool without a health monitor has no probes. A group that transfers
 * the client IP with the PROXY protocol probes with a header too (v2 LOCAL / v1 `PROXY UNKNOWN`, as
 * HAProxy's `check-send-proxy`), so members that require one stay healthy; a TRANSPARENT group's probes
 * come from the engine's own address (they speak for the engine, not for a client).
 */
export class PoolHealthChecker {
  private readonly probes = new Map<string, MemberProbe>();
  private monitorKey = "";

  constructor(
    private readonly poolId: string,
    private readonly listener: HealthListener,
    private readonly checks: Readonly<Record<HealthCheckProtocol, HealthCheck>> = DEFAULT_CHECKS,
  ) {}

  /** Applies a pool runtime from a new snapshot. */
  update(pool: PoolRuntime): void {
    const monitor = pool.config.healthMonitor;
    if (monitor === null) return this.stop();
    const transport = pool.transferClientIp;
    const key = `${transport ?? ""}\n${JSON.stringify(monitor)}`; // once per snapshot, not per check
    const changed = key !== this.monitorKey;
    this.monitorKey = key;
    const check = this.checks[monitor.protocol];
    const proxyHeader = probeProxyHeader(transport, monitor.protocol === "UDP" ? "DGRAM" : "STREAM");
    const seen = new Set<string>();
    for (const member of pool.members) {
      const probeKey = `${member.config.id}\n${member.config.address}\n${member.config.port}`;
      seen.add(probeKey);
      const probe = this.probes.get(probeKey);
      if (probe !== undefined) probe.update(member, monitor, check, proxyHeader, changed);
      else this.probes.set(probeKey, new MemberProbe(member, monitor, check, proxyHeader, this.onTransition));
    }
    for (const [probeKey, probe] of this.probes) {
      if (seen.has(probeKey)) continue;
      probe.stop();
      this.probes.delete(probeKey);
    }
  }

  /** Current status of every checked member (INITIAL counts as UNHEALTHY: it takes no traffic yet). */
  report(): MemberHealthReport[] {
    return [...this.probes.values()].map((probe) => this.toReport(probe.memberId, probe.state.status));
  }

  /** Stops every probe; in-flight checks are aborted and report nothing. */
  stop(): void {
    for (const probe of this.probes.values()) probe.stop();
    this.probes.clear();
    this.monitorKey = "";
  }

  private readonly onTransition = (member: MemberRuntime, status: ProbeStatus): void => {
    this.listener(this.toReport(member.config.id, status));
  };

  private toReport(memberId: string, status: ProbeStatus): MemberHealthReport {
    return { poolId: this.poolId, memberId, status: status === "HEALTHY" ? "HEALTHY" : "UNHEALTHY" };
  }
}
