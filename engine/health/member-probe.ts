import type { SnapshotHealthMonitor } from "../protocol/snapshot.types";
import type { MemberRuntime } from "../pools/pool-runtime.types";
import type { HealthCheck } from "./checks/check.types";
import { applyCheckResult, type HealthState, type ProbeStatus } from "./health-state";

/** Called when a member's status changes (not for repeated equal results). */
export type ProbeTransition = (member: MemberRuntime, status: ProbeStatus) => void;

/**
 * Checks one member on its own timer: the first check at once, then one every `intervalSeconds`
 * (measured from the start of the previous check). Writes `member.healthy` on transitions.
 * Survives snapshots: the checker swaps in the new member object and monitor settings.
 */
export class MemberProbe {
  readonly state: HealthState;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly abort = new AbortController();

  constructor(
    private member: MemberRuntime,
    private monitor: SnapshotHealthMonitor,
    private check: HealthCheck,
    /** Sent first by every check (the group's PROXY header for probes); null = none. */
    private proxyHeader: Buffer | null,
    private readonly onTransition: ProbeTransition,
  ) {
    // A member already routable (e.g. the check was just enabled on a live pool) stays so until proven otherwise.
    this.state = { status: member.healthy ? "HEALTHY" : "INITIAL", streak: 0 };
    this.schedule(0);
  }

  /** Id of the member this probe checks. */
  get memberId(): string {
    return this.member.config.id;
  }

  /**
   * Swaps in the member object and settings of a new snapshot; a changed monitor (or probe header: the
   * group's Transfer Client IP Address) restarts the count and checks at once.
   */
  update(member: MemberRuntime, monitor: SnapshotHealthMonitor, check: HealthCheck, proxyHeader: Buffer | null, monitorChanged: boolean): void {
    this.member = member;
    member.healthy = this.state.status === "HEALTHY";
    if (!monitorChanged) return;
    this.monitor = monitor;
    this.check = check;
    this.proxyHeader = proxyHeader;
    this.state.streak = 0;
    if (!this.running) this.schedule(0);
  }

  /** Stops the timer and aborts a check in flight; no transition is reported afterwards. */
  stop(): void {
    clearTimeout(this.timer);
    this.abort.abort();
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delayMs);
    this.timer.unref();
  }

  /**
   * One check, then the next one scheduled whatever happened: a check that throws or rejects (it
   * should not) counts as unhealthy, an inconclusive one (null) does not count at all, and `running`
   * is always reset, so a member is never left unprobed.
   */
  private async run(): Promise<void> {
    if (this.abort.signal.aborted) return;
    this.running = true;
    const started = Date.now();
    try {
      const monitor = this.monitor;
      const target = { address: this.member.config.address, port: monitor.port ?? this.member.config.port, proxyHeader: this.proxyHeader };
      let healthy: boolean | null;
      try {
        healthy = await this.check(target, monitor, this.abort.signal);
      } catch {
        healthy = false;
      }
      if (this.abort.signal.aborted) return;
      if (healthy === null) return; // inconclusive (the engine is out of descriptors): the member keeps its status and streak
      const before = this.state.status;
      const after = applyCheckResult(this.state, healthy, this.monitor.maxRetries);
      if (after !== before) {
        this.member.healthy = after === "HEALTHY";
        this.onTransition(this.member, after);
      }
    } finally {
      this.running = false;
      if (!this.abort.signal.aborted) this.schedule(Math.max(0, this.monitor.intervalSeconds * 1000 - (Date.now() - started)));
    }
  }
}
