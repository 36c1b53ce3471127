import type { MemberRuntime, PoolRuntime } from "../../pools/pool-runtime.types";
import type { HeaderKind } from "../http1/header-kind";
import type { ResponseParser } from "../http1/response-parser";

/**
 * What stickiness reads of a request: how many Cookie fields it has and the values of its fields of
 * one kind (only `H.COOKIE` is asked for). The HTTP/1 `RequestParser` implements it, and so does an HTTP/2 stream's head.
 */
export interface CookieSource {
  /** Number of Cookie fields (0 = no cookie: nothing to look up). */
  readonly cookieCount: number;
  /** Values of every field of `kind`, in order (may allocate). */
  values(kind: HeaderKind): readonly string[];
}

/**
 * Layer-7 session stickiness of one pool, compiled once per route. Per request the proxy asks
 * for the member the request's cookie is bound to (if it may take traffic now), and per response
 * which header lines to add (load balancer cookie) or what to learn (application cookie).
 */
export interface StickyPolicy {
  /** The member this request is stuck to when it is available (and not excluded); null = let the balancer pick. */
  stuckMember(request: CookieSource, pool: PoolRuntime): MemberRuntime | null;
  /**
   * Called with the backend's final response head: returns header lines ("Name: value\r\n") to add,
   * "" for none. `stuck` = the request was routed by its cookie.
   */
  onResponse(response: ResponseParser, member: MemberRuntime, stuck: boolean): string;
}
