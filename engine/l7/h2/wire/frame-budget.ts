/**
 * A token bucket for frames a client may send only so often (resets, empty frames): `burst` at once,
 * refilled at `perSecond`. One per connection and kind; `spend` answers false once it is empty.
 */
export class FrameBudget {
  private tokens: number;
  private at = 0;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
  ) {
    this.tokens = burst;
  }

  /** Takes one token at `now` (ms); false when none was left (the client is over its rate). */
  spend(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.perSecond) / 1000) - 1;
    this.at = now;
    return this.tokens >= 0;
  }
}
