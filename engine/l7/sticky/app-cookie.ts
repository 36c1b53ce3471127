import type { MemberRuntime, PoolRuntime } from "../../pools/pool-runtime.types";
import { H } from "../http1/header-kind";
import type { RequestParser } from "../http1/request-parser";
import type { ResponseParser } from "../http1/response-parser";
import { findCookie, parseSetCookie } from "./cookies";
import type { StickyPolicy } from "./sticky-policy";

/** Default bound on learned application cookies per pool. */
export const DEFAULT_APP_COOKIE_ENTRIES = 100_000;

/**
 * Application cookie value → member id, learned from backend Set-Cookie. Bounded (least recently
 * used entries are evicted first) with a sliding expiry of the stickiness duration. Kept per pool
 * across snapshots, by member id so members that survive a snapshot keep their sessions.
 */
export class AppCookieTable {
  private readonly entries = new Map<string, { memberId: string; expiresAt: number }>();

  constructor(
    private durationMs: number,
    private readonly maxEntries = DEFAULT_APP_COOKIE_ENTRIES,
    private readonly now: () => number = Date.now,
  ) {}

  /** Number of live and not yet swept entries. */
  get size(): number {
    return this.entries.size;
  }

  /** Changes the stickiness duration (new snapshot). */
  setDuration(durationMs: number): void {
    this.durationMs = durationMs;
  }

  /** Binds a cookie value to a member (re-binding refreshes it). */
  learn(value: string, memberId: string): void {
    this.entries.delete(value);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(value, { memberId, expiresAt: this.now() + this.durationMs });
  }

  /** Member id bound to `value`, refreshing its expiry; undefined when unknown or expired. */
  lookup(value: string): string | undefined {
    const entry = this.entries.get(value);
    if (entry === undefined) return undefined;
    const now = this.now();
    this.entries.delete(value);
    if (entry.expiresAt <= now) return undefined;
    entry.expiresAt = now + this.durationMs;
    this.entries.set(value, entry);
    return entry.memberId;
  }

  /** Forgets a value (the application expired its cookie). */
  forget(value: string): void {
    this.entries.delete(value);
  }
}

/**
 * Application cookie stickiness: the backend's `Set-Cookie: <cookieName>=v` binds v to that
 * member; requests carrying `<cookieName>=v` go back to it while it is available.
 */
export class AppCookiePolicy implements StickyPolicy {
  constructor(
    private readonly cookieName: string,
    private readonly table: AppCookieTable,
  ) {}

  stuckMember(request: RequestParser, pool: PoolRuntime): MemberRuntime | null {
    if (request.cookieCount === 0) return null;
    for (const header of request.values(H.COOKIE)) {
      const value = findCookie(header, this.cookieName);
      if (value === null) continue;
      const memberId = this.table.lookup(value);
      const member = memberId === undefined ? undefined : pool.byId(memberId);
      if (member !== undefined && pool.isAvailable(member)) return member;
    }
    return null;
  }

  onResponse(response: ResponseParser, member: MemberRuntime): string {
    if (response.setCookieCount === 0) return "";
    for (const header of response.values(H.SET_COOKIE)) {
      const cookie = parseSetCookie(header);
      if (cookie === null || cookie.name !== this.cookieName) continue;
      if (cookie.expired || cookie.value === "") this.table.forget(cookie.value);
      else this.table.learn(cookie.value, member.config.id);
    }
    return "";
  }
}
