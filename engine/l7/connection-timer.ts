import { coarseClock } from "../io/coarse-clock";
import { PROGRESS_TIMER, T_NONE } from "./proxy-context";

/**
 * The single deadline of a client connection (head, idle, body, connect, response, stream,
 * tunnel or linger timeout, T_*), checked by the handler's periodic sweep instead of a Node
 * timer per request. Progress-based kinds measure silence: any progress pushes the deadline.
 */
export class ConnectionTimer {
  /** Armed kind (T_NONE = none). */
  kind = T_NONE;
  private ms = 0;
  private deadline = 0;
  private seenProgress = 0;

  /**
   * Arms `kind` for `ms`. The coarse clock may lag by one sweep period, so one period is added:
   * a deadline never fires early, and at most two periods (≤ half the timeout) late.
   */
  arm(kind: number, ms: number, sweepMs: number, progress: number): void {
    this.kind = kind;
    this.ms = ms;
    this.deadline = coarseClock.now + sweepMs + ms;
    this.seenProgress = progress;
  }

  /** Disarms. */
  clear(): void {
    this.kind = T_NONE;
  }

  /** The kind that expired at `now` (and is disarmed), or T_NONE. */
  expired(now: number, progress: number): number {
    const kind = this.kind;
    if (kind === T_NONE) return T_NONE;
    if (PROGRESS_TIMER[kind] && progress !== this.seenProgress) {
      this.seenProgress = progress;
      this.deadline = now + this.ms;
      return T_NONE;
    }
    if (now < this.deadline) return T_NONE;
    this.kind = T_NONE;
    return kind;
  }
}
