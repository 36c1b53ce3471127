import { createHash } from "node:crypto";
import type { MemberRuntime, PoolRuntime } from "../../pools/pool-runtime.types";
import { H } from "../http1/header-kind";
import type { RequestParser } from "../http1/request-parser";
import { findCookie } from "./cookies";
import type { StickyPolicy } from "./sticky-policy";

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
 * Load balancer cookie: the first response carries `Set-Cookie: ELBSESSION=<token>; Max-Age=<duration>;
 * Path=/; HttpOnly`; later requests carrying it go to that member while it is available, otherwise
 * the balancer picks another and the cookie is re-issued for it.
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

  stuckMember(request: RequestParser, pool: PoolRuntime): MemberRuntime | null {
    if (request.cookieCount === 0) return null;
    for (const header of request.values(H.COOKIE)) {
      const token = findCookie(header, LB_COOKIE_NAME);
      if (token === null) continue;
      const member = this.byToken.get(token);
      if (member !== undefined && pool.isAvailable(member)) return member;
    }
    return null;
  }

  onResponse(_response: unknown, member: MemberRuntime, stuck: boolean): string {
    return stuck ? "" : (this.setCookie.get(member) ?? "");
  }
}
