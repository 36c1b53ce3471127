import { coarseClock } from "../io/coarse-clock";
import { measuresSilence, type TimerKind } from "./connection-state";

/**
 * The single deadline of a client connection (head, idle, body, connect, response, stream,
 * tunnel or linger timeout), checked by the handler's periodic sweep instead of a Node timer per
 * request. Silence-measured kinds (body, stream, tunnel): any progress pushes the deadline.
 */
export class ConnectionTimer {
  /** Armed kind ("none" = disarmed). */
  kind: TimerKind = "none";
  private ms = 0;
  private deadline = 0;
  private seenProgress = 0;

  /**
   * Arms `kind` for `ms`. The coarse clock may lag by one sweep period, so one period is added:
   * a deadline never fires early, and at most two periods (≤ half the timeout) late.
   */
  arm(kind: TimerKind, ms: number, sweepMs: number, progress: number): void {
    this.kind = kind;
    this.ms = ms;
    this.deadline = coarseClock.now + sweepMs + ms;
    this.seenProgress = progress;
  }

  /** Disarms. */
  clear(): void {
    this.kind = "none";
  }

  /** The kind that expired at `now` (and is disarmed), or "none". */
  expired(now: number, progress: number): TimerKind {
    const kind = this.kind;
    if (kind === "none") return "none";
    if (progress !== this.seenProgress && measuresSilence(kind)) {
      this.seenProgress = progress;
      this.deadline = now + this.ms;
      return "none";
    }
    if (now < this.deadline) return "none";
    this.kind = "none";
    return kind;
  }
}
