import type { MemberRuntime, PoolRuntime } from "../../pools/pool-runtime.types";
import type { ProxyErrorKind } from "../errors";
import type { CookieSource, StickyPolicy } from "../sticky/sticky-policy";

/** What a phase says: go on to the next phase, or stop and answer the client now (nothing is forwarded). */
export type PhaseOutcome = "continue" | "respond";

/**
 * The request head as the phases read it: all they may use of a request, so that the HTTP/1
 * `RequestParser` and an HTTP/2 stream's head both serve. Strings are made on demand (may allocate).
 */
export interface PhaseHead extends CookieSource {
  /** Method as sent ("GET", "HEAD", …). */
  readonly method: string;
  /**
   * Path and query exactly as the client sent them, in origin-form ("/a/b?x=1"): an absolute-form
   * target gives its path ("/" when empty; "?q" → "/?q"), HTTP/2 its `:path`; `*` for OPTIONS *.
   */
  target(): string;
  /** The host the request names, port included as sent ("Example.com:8080", "[::1]:80"): Host, the absolute-form authority, or HTTP/2 `:authority`; "" when none (HTTP/1.0 without Host). */
  host(): string;
}

/**
 * One request as the phases see and decide it. The exchange implements it (no object per request):
 * phases read the parsed head and the client address, and fill in where the request goes.
 */
export interface PhaseRequest {
  /** The parsed request head. */
  readonly head: PhaseHead;
  /**
   * The request's client (plain IPv4 for IPv4-mapped IPv6): the connection's address, or the one a
   * trusted peer's Real IP Header names (X-Forwarded-For / X-Real-IP; see client-ip-headers.ts).
   */
  readonly clientIp: string;
  /** The local address the client reached (plain IPv4 for IPv4-mapped IPv6, IPv6 without brackets); "" when unknown. */
  readonly localAddress: string;
  /** Backend server group the request goes to: the listener's default one until a phase changes it. */
  pool: PoolRuntime | null;
  /** L7 stickiness of `pool` (cookie insert or learn); null = none. Set together with `pool`. */
  sticky: StickyPolicy | null;
  /** The member chosen (by the pick-member phase). */
  member: MemberRuntime | null;
  /** The member was chosen by the request's sticky cookie. */
  stuck: boolean;
  /** Set by a phase that answers "respond" with a generated error page (503, …). */
  errorKind: ProxyErrorKind | null;
  /** Set by a phase that answers "respond" with a response of its own (e.g. a redirect's 301). */
  answer: PhaseAnswer | null;
}

/**
 * A response a phase answers with. The exchange writes it: status line in the client's version,
 * these fields, Content-Length, `Connection: close` when the connection ends after it, the body unless HEAD.
 */
export interface PhaseAnswer {
  readonly status: number;
  /** Reason phrase ("Moved Permanently"). */
  readonly reason: string;
  /** Header lines, each ending in CRLF ("Location: https://…\r\n"); latin1. */
  readonly fields: string;
  /** Body text (latin1), "" for none. */
  readonly body: string;
}


/**
 * A named step of the L7 request path, built once per listener config (never per request) and run
 * in order for every request: redirect? → match forwarding policy → pick member. Envoy's filters
 * answer continue/stop the same way.
 */
export interface RequestPhase {
  /** Stable name (diagnostics, tests). */
  readonly name: string;
  /** Decides for one request; must not keep a reference to `request` after returning. */
  run(request: PhaseRequest): PhaseOutcome;
}
