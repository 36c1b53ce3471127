import { createHash } from "node:crypto";
import type { MemberRuntime, PoolRuntime } from "../../pools/pool-runtime.types";
import { H } from "../http1/header-kind";
import { findCookie } from "./cookies";
import type { CookieSource, StickyPolicy } from "./sticky-policy";

/** Name of the cookie the engine sets for "Load balancer cookie" stickiness. */
export const LB_COOKIE_NAME = "ELBSESSION";

/**
 * Opaque cookie value for a member of a pool: a hash of pool id and member id. Deterministic, so
 * every engine worker and a restarted engine resolve it alike without shared state.
 */
export function lbCookieToken(poolId: string, memberId: string): string {
  return createHash("sha256").update(`${poolId}\n${memberId}`).digest("base64url").slice(0, 24);
}

/**
 * Load balancer cookie: every response carries `Set-Cookie: ELBSESSION=<token>; Max-Age=<duration>;
 * Path=/; HttpOnly` for the member that served it; requests carrying it go to that member while it is
 * available, otherwise the balancer picks another and the cookie names that one instead.
 * Re-issuing on every response (not only the first) is what makes the duration count from the last
 * use rather than from the first response, the way an idle timeout should: a client active all day
 * keeps its member, one idle for `durationMinutes` loses it. It costs nothing per request beyond the
 * bytes: the header lines are built once per route and the token carries no time, so it stays
 * deterministic across workers and restarts.
 */
export class LbCookiePolicy implements StickyPolicy {
  private readonly byToken = new Map<string, MemberRuntime>();
  private readonly setCookie = new Map<MemberRuntime, string>();

  constructor(pool: PoolRuntime, durationMinutes: number) {
    const maxAge = Math.max(1, Math.round(durationMinutes * 60));
    for (const member of pool.members) {
      const token = lbCookieToken(pool.config.id, member.config.id);
      this.byToken.set(token, member);
      this.setCookie.set(member, `Set-Cookie: ${LB_COOKIE_NAME}=${token}; Max-Age=${maxAge}; Path=/; HttpOnly\r\n`);
    }
  }

  stuckMember(request: CookieSource, pool: PoolRuntime): MemberRuntime | null {
    if (request.cookieCount === 0) return null;
    for (const header of request.values(H.COOKIE)) {
      const token = findCookie(header, LB_COOKIE_NAME);
      if (token === null) continue;
      const member = this.byToken.get(token);
      if (member !== undefined && pool.isAvailable(member)) return member;
    }
    return null;
  }

  onResponse(_response: unknown, member: MemberRuntime, _stuck: boolean): string {
    return this.setCookie.get(member) ?? "";
  }
}
