import type { SnapshotListener } from "../../protocol/snapshot.types";
import { ForwardingPolicyPhase, type PolicyTarget } from "./forwarding-policy";
import { PICK_MEMBER } from "./pick-member";
import type { RequestPhase } from "./phase.types";
import { RedirectPhase } from "./redirect";

/**
 * The ordered request phases of one listener config, compiled once per route. The exchange starts
 * each request with the listener's default group (`pool`, `sticky`) and runs them in order:
 *   1. redirect (HTTP → HTTPS, 301)               — `redirect.ts`; a redirected listener has this phase
 *      alone (guide 3.8.4: everything else but access control is inactive, so no group is needed);
 *   2. forwarding policy (domain name / URL rule)  — `forwarding-policy.ts`, replaces `pool` and `sticky`;
 *      left out when the listener has no policy whose pool is known;
 *   3. pick member (sticky cookie, else balancer)  — `pick-member.ts`.
 * `policyTargets`: the pool and stickiness of each pool id a policy may target (missing = skipped).
 */
export function compilePhases(listener: SnapshotListener, policyTargets: ReadonlyMap<string, PolicyTarget>): readonly RequestPhase[] {
  const redirect = listener.redirect;
  if (redirect != null) return Object.freeze([new RedirectPhase(redirect.port, uriHost(listener.bindAddresses[0] ?? "localhost"))]);
  const policies = listener.forwardingPolicies;
  const forwarding = policies === undefined || policies.length === 0 ? null : ForwardingPolicyPhase.compile(policies, (id) => policyTargets.get(id));
  return forwarding === null ? DEFAULT_PHASES : Object.freeze([forwarding, PICK_MEMBER]);
}

/** An address as a URI host (IPv6 in brackets). */
function uriHost(address: string): string {
  return address.includes(":") ? `[${address}]` : address;
}

const DEFAULT_PHASES: readonly RequestPhase[] = Object.freeze([PICK_MEMBER]);
