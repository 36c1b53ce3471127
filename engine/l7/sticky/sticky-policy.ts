import type { MemberRuntime, PoolRuntime } from "../../pools/pool-runtime.types";
import type { RequestParser } from "../http1/request-parser";
import type { ResponseParser } from "../http1/response-parser";

/**
 * Layer-7 session stickiness of one pool, compiled once per route. Per request the proxy asks
 * for the member the request's cookie is bound to (if it may take traffic now), and per response
 * which header lines to add (load balancer cookie) or what to learn (application cookie).
 */
export interface StickyPolicy {
  /** The member this request is stuck to when it is available (and not excluded); null = let the balancer pick. */
  stuckMember(request: RequestParser, pool: PoolRuntime): MemberRuntime | null;
  /**
   * Called with the backend's final response head: returns header lines ("Name: value\r\n") to add,
   * "" for none. `stuck` = the request was routed by its cookie.
   */
  onResponse(response: ResponseParser, member: MemberRuntime, stuck: boolean): string;
}
