import { coarseClock } from "../io/coarse-clock";
import type { MemberRuntime } from "./pool-runtime.types";

/**
 * Passive health (nginx `max_fails` / `fail_timeout`): a member whose connects failed `maxFails`
 * times in a row is skipped by every pick for `failTimeoutMs`, then offered traffic again. Its run of
 * failures is kept through the window, so one more failure ejects it again at once; one successful
 * connect clears it. When every member is ejected, the pool readmits them all (as nginx does) rather
 * than answer 503. Only connect failures count: they are what a dead or black-holed server shows.
 */
export interface EjectionPolicy {
  /** Consecutive failures that eject a member; default 3; 0 disables ejection. */
  readonly maxFails: number;
  /** How long an ejected member is skipped; default 10 000 ms. */
  readonly failTimeoutMs: number;
}

/** Defaults of EjectionPolicy (nginx's max_fails=3; 10 s as its fail_timeout's order of magnitude, a connect timeout is 5 s). */
export const DEFAULT_EJECTION_POLICY: EjectionPolicy = { maxFails: 3, failTimeoutMs: 10_000 };

/** Records a failed connect to `member`; true when that ejected it (now until now + failTimeoutMs). */
export function memberFailed(member: MemberRuntime, policy: EjectionPolicy, now: number = coarseClock.now): boolean {
  const failures = ++member.failures;
  if (policy.maxFails <= 0 || failures < policy.maxFails) return false;
  member.ejectedUntil = now + policy.failTimeoutMs;
  return true;
}

/** Records a successful connect: the run of failures ends and any ejection is lifted. */
export function memberSucceeded(member: MemberRuntime): void {
  if (member.failures !== 0) member.failures = 0;
  if (member.ejectedUntil !== 0) member.ejectedUntil = 0;
}

/** True while `member` is ejected at `now`. */
export function isEjected(member: MemberRuntime, now: number = coarseClock.now): boolean {
  return member.ejectedUntil > now;
}

/** Lifts the ejection of every member (all were ejected: trying them beats refusing); true when any was ejected. */
export function readmitAll(members: readonly MemberRuntime[]): boolean {
  let any = false;
  for (const member of members) {
    if (member.ejectedUntil === 0) continue;
    if (member.ejectedUntil > coarseClock.now) any = true;
    member.ejectedUntil = 0;
  }
  return any;
}
