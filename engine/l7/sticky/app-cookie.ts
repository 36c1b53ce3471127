import type { MemberRuntime, PoolRuntime } from "../../pools/pool-runtime.types";
import { ExpiringTable } from "../../pools/sticky/expiring-table";
import { H } from "../http1/header-kind";
import type { ResponseParser } from "../http1/response-parser";
import type { AppCookieSync, SyncedTable } from "./app-cookie-sync";
import { findCookie, parseSetCookie } from "./cookies";
import type { CookieSource, StickyPolicy } from "./sticky-policy";

/** Default bound on learned application cookies per pool. */
export const DEFAULT_APP_COOKIE_ENTRIES = 100_000;

/**
 * Application cookie value → member id, learned from backend Set-Cookie. Bounded (least recently
 * used entries are evicted first) with a sliding expiry of the stickiness duration; expired entries
 * are swept on learn. Kept per pool across snapshots, by member id so members that survive a snapshot
 * keep their sessions. A thin face over the ExpiringTable the source-IP sticky table also uses.
 */
export class AppCookieTable implements SyncedTable {
  private readonly table: ExpiringTable<string, string>;
  /** Where learning goes to the other worker threads, and this table's key there; null with one thread. */
  private sync: AppCookieSync | null = null;
  private syncKey = "";

  constructor(
    /** Stickiness duration in ms (pool's durationMinutes × 60 000). */
    durationMs: number,
    /** Bound on entries; default DEFAULT_APP_COOKIE_ENTRIES. */
    maxEntries = DEFAULT_APP_COOKIE_ENTRIES,
    /** Clock, injectable for tests; default Date.now. */
    now: () => number = Date.now,
  ) {
    this.table = new ExpiringTable(durationMs, maxEntries, now);
  }

  /** Number of live and not yet swept entries. */
  get size(): number {
    return this.table.size;
  }

  /** Changes the stickiness duration (new snapshot). */
  setDuration(durationMs: number): void {
    this.table.setDuration(durationMs);
  }

  /** Shares this table's learning with the same table in the other worker threads (under `key`). */
  share(sync: AppCookieSync, key: string): void {
    this.sync = sync;
    this.syncKey = key;
    sync.register(key, this);
  }

  /** Stops sharing (the table is dropped). */
  unshare(): void {
    this.sync?.unregister(this.syncKey);
    this.sync = null;
  }

  /** Binds a cookie value to a member (re-binding refreshes it); other workers learn it too. */
  learn(value: string, memberId: string): void {
    if (this.table.get(value) === memberId) return; // known: refreshed, nothing new to tell
    this.table.set(value, memberId);
    this.sync?.publish(this.syncKey, value, memberId);
  }

  /** What another worker's table learned. */
  learnFromPeer(value: string, memberId: string): void {
    this.table.set(value, memberId);
  }

  /** What another worker's table forgot. */
  forgetFromPeer(value: string): void {
    this.table.delete(value);
  }

  /** Member id bound to `value`, refreshing its expiry; undefined when unknown or expired. */
  lookup(value: string): string | undefined {
    return this.table.get(value);
  }

  /** Forgets a value (the application expired its cookie); other workers forget it too. */
  forget(value: string): void {
    this.table.delete(value);
    this.sync?.publish(this.syncKey, value, null);
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

  stuckMember(request: CookieSource, pool: PoolRuntime): MemberRuntime | null {
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
