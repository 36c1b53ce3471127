import { PICK_MEMBER } from "./pick-member";
import type { RequestPhase } from "./phase.types";

/**
 * The ordered request phases of one listener config, compiled once per route. The exchange starts
 * each request with the listener's default group (`pool`, `sticky`) and runs them in order:
 *   1. redirect (HTTP → HTTPS, 301)               — seat: `redirect.ts`, answers "respond" with an `answer`
 *   2. forwarding policy (domain name / URL rule)  — seat: `forwarding-policy.ts`, replaces `pool` and `sticky`
 *   3. pick member (sticky cookie, else balancer)  — `pick-member.ts`
 * Listeners have no redirects or forwarding policies yet, so the list is the pick-member phase alone.
 */
export function compilePhases(): readonly RequestPhase[] {
  return DEFAULT_PHASES;
}

const DEFAULT_PHASES: readonly RequestPhase[] = Object.freeze([PICK_MEMBER]);
