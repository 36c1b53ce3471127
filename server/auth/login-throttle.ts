/**
 * Slows password guessing: after MAX_FAILURES failed log-ins for one user name from one address within
 * WINDOW_MS, further attempts are refused until the window passes. In-memory (one console process).
 */
import "server-only";
export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;
const MAX_KEYS = 10_000;

interface Failures {
  count: number;
  firstAt: number;
}

/** Failed log-in bookkeeping per (source IP, user name). */
export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds until this key may try again; 0 = allowed now. */
  retryAfterMs(sourceIp: string, username: string): number {
    const entry = this.failures.get(`${sourceIp}|${username}`);
    if (!entry) return 0;
    const age = this.now() - entry.firstAt;
    if (age >= WINDOW_MS) {
      this.failures.delete(`${sourceIp}|${username}`);
      return 0;
    }
    return entry.count >= MAX_FAILURES ? WINDOW_MS - age : 0;
  }

  /** Counts a failed attempt. */
  recordFailure(sourceIp: string, username: string): void {
    const key = `${sourceIp}|${username}`;
    const entry = this.failures.get(key);
    if (entry && this.now() - entry.firstAt < WINDOW_MS) entry.count++;
    else {
      if (this.failures.size >= MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
      this.failures.set(key, { count: 1, firstAt: this.now() });
    }
  }

  /** Forgets the failures after a successful log-in. */
  recordSuccess(sourceIp: string, username: string): void {
    this.failures.delete(`${sourceIp}|${username}`);
  }
}

const globalForThrottle = globalThis as unknown as { __elbLoginThrottle?: LoginThrottle };
/** The console process's throttle. */
export const loginThrottle = (globalForThrottle.__elbLoginThrottle ??= new LoginThrottle());
