import type { HeadLimits } from "./http1/head-reader";
import type { CompiledRoute } from "./compiled-route";
import type { ProxyError } from "./errors";

/** Options of the HTTP proxy handler; every field optional, defaults noted. */
export interface HttpProxyOptions {
  /** The whole request head (request line + headers) must arrive within this; default 10 000 ms (slowloris). */
  headTimeoutMs?: number;
  /** Longest client silence while it sends a request body; default 60 000 ms. */
  bodyTimeoutMs?: number;
  /** Backend response timeout: first response byte after the request, and longest silence while streaming; default 60 000 ms (→ 504). */
  responseTimeoutMs?: number;
  /** TCP connect timeout to a backend server; default 5 000 ms (→ 504). */
  connectTimeoutMs?: number;
  /** Idle keep-alive connections kept per backend server; default 256. */
  maxIdlePerBackend?: number;
  /** Backend keep-alive idle timeout; default 4 000 ms (below the usual 5 s server timeout, so the proxy closes first). */
  backendIdleTimeoutMs?: number;
  /** Request head size limit in bytes; default 32 768 (→ 431). */
  maxHeadBytes?: number;
  /** Request header count limit; default 100 (→ 431). */
  maxHeaderCount?: number;
  /** Connection attempts per request (other members on connect failure, fresh connection after a stale keep-alive); default 3. */
  maxTries?: number;
  /** Observer of every error the proxy answers or aborts on (access log, tests); default none. */
  onError?: (error: ProxyError) => void;
}

/** HttpProxyOptions with defaults applied. */
export interface ResolvedOptions {
  readonly headTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly responseTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly maxIdlePerBackend: number;
  readonly backendIdleTimeoutMs: number;
  readonly requestLimits: HeadLimits;
  readonly maxTries: number;
  readonly onError: ((error: ProxyError) => void) | null;
}

/** Applies defaults. */
export function resolveOptions(o: HttpProxyOptions = {}): ResolvedOptions {
  return {
    headTimeoutMs: o.headTimeoutMs ?? 10_000,
    bodyTimeoutMs: o.bodyTimeoutMs ?? 60_000,
    responseTimeoutMs: o.responseTimeoutMs ?? 60_000,
    connectTimeoutMs: o.connectTimeoutMs ?? 5_000,
    maxIdlePerBackend: o.maxIdlePerBackend ?? 256,
    backendIdleTimeoutMs: o.backendIdleTimeoutMs ?? 4_000,
    requestLimits: { maxHeadBytes: o.maxHeadBytes ?? 32 * 1024, maxFields: o.maxHeaderCount ?? 100, allowBareLf: false },
    maxTries: o.maxTries ?? 3,
    onError: o.onError ?? null,
  };
}

/** What a client connection sees of its handler. */
export interface ProxyContext {
  /** Route for new requests (swapped by update). */
  readonly route: CompiledRoute;
  readonly options: ResolvedOptions;
  /** Period of the deadline sweep in ms. */
  readonly sweepMs: number;
  /** Draining: finish in-flight requests, keep no connection alive. */
  readonly draining: boolean;
  /** A client connection closed. */
  connectionClosed(conn: object): void;
}

/** Client connection states. */
export const S_HEAD: number = 0;
export const S_BODY: number = 1;
export const S_WAIT: number = 2;
export const S_TUNNEL: number = 3;
export const S_CLOSING: number = 4;
export const S_CLOSED: number = 5;

/** Timer kinds of a client connection (one deadline per connection, checked by the handler's sweep). */
export const T_NONE: number = 0;
export const T_HEAD: number = 1;
export const T_IDLE: number = 2;
export const T_BODY: number = 3;
export const T_CONNECT: number = 4;
export const T_RESPONSE: number = 5;
export const T_STREAM: number = 6;
export const T_TUNNEL: number = 7;
export const T_LINGER: number = 8;
/** Kinds measured as silence (reset by any progress) rather than from a fixed start. */
export const PROGRESS_TIMER = [false, false, false, true, false, false, true, true, false];

/** Exchange phases. */
export const P_IDLE: number = 0;
/** Waiting for the backend's response head. */
export const P_HEAD: number = 1;
/** Relaying the response body. */
export const P_BODY: number = 2;
/** Upgraded (101): bytes flow both ways untouched. */
export const P_TUNNEL: number = 3;
export const P_DONE: number = 4;

/** Body bytes up to this size are forwarded as a latin1 string (merged into the head's write when they come with it). */
export const MERGE_BODY_BYTES = 16 * 1024;
