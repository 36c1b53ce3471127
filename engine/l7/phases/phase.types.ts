import type { MemberRuntime, PoolRuntime } from "../../pools/pool-runtime.types";
import type { ProxyErrorKind } from "../errors";
import type { RequestParser } from "../http1/request-parser";
import type { StickyPolicy } from "../sticky/sticky-policy";

/** What a phase says: go on to the next phase, or stop and answer the client now (nothing is forwarded). */
export type PhaseOutcome = "continue" | "respond";

/**
 * One request as the phases see and decide it. The exchange implements it (no object per request):
 * phases read the parsed head and the client address, and fill in where the request goes.
 */
export interface PhaseRequest {
  /** The parsed request head. */
  readonly head: RequestParser;
  /** Client address (plain IPv4 for IPv4-mapped IPv6). */
  readonly clientIp: string;
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
