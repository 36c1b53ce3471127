import { DEFAULT_EJECTION_POLICY, type EjectionPolicy } from "../pools/passive-ejection";
import type { TrustedIpsCompiler } from "./client-ip-headers";
import type { HeadLimits } from "./http1/head-reader";

/** Options of the HTTP proxy handler; every field optional, defaults noted. */
export interface HttpProxyOptions {
  /** The whole request head (request line + headers) must arrive within this; default 10 000 ms (slowloris). */
  headTimeoutMs?: number;
  /** Longest client silence while it sends a request body; default 60 000 ms. */
  bodyTimeoutMs?: number;
  /** Backend response timeout: first response byte after the request, and longest silence while streaming; default 60 000 ms (→ 504). */
  responseTimeoutMs?: number;
  /** TCP connect timeout to a backend server, one precise timer per connecting socket; default 5 000 ms (→ another member while no body byte was sent, else 504). */
  connectTimeoutMs?: number;
  /** Consecutive failed connects (refused or timed out) after which a member is skipped for `failTimeoutMs` (nginx max_fails); default 3; 0 = never. */
  maxFails?: number;
  /** How long a member is skipped after `maxFails` failed connects (nginx fail_timeout); default 10 000 ms. */
  failTimeoutMs?: number;
  /**
   * Idle keep-alive connections kept per backend server; default 1024, as `maxConnectionsPerMember`:
   * the idle list must hold the peak of requests in flight or reuse churns (connections closed at
   * release, opened again at the next burst), and an HTTP/2 client alone may have 128 streams in
   * flight on one connection. Connections idle past `backendIdleTimeoutMs` are closed.
   */
  maxIdlePerBackend?: number;
  /**
   * Backend keep-alive idle timeout; default 60 000 ms (nginx's upstream keepalive_timeout), so backend
   * connections stay warm through an idle pause. A backend closing earlier is seen by its FIN; a close
   * racing a request costs an idempotent request a retry on a fresh connection (retry-policy.ts).
   */
  backendIdleTimeoutMs?: number;
  /** Request head size limit in bytes; default 32 768 (→ 431). */
  maxHeadBytes?: number;
  /** Request header count limit; default 100 (→ 431). */
  maxHeaderCount?: number;
  /**
   * Largest request body in bytes; default 2 GiB (an ELB carries uploads: nginx's 1 MiB would break
   * them; a 999,999,999,999,999-byte Content-Length is not streamed). A larger Content-Length is
   * answered 413 before any backend connection; a chunked body growing past it is cut (backend reset,
   * 413 when no response byte came yet, else the client connection is closed).
   */
  maxBodyBytes?: number;
  /**
   * Slow-POST defence: a request body must arrive at this rate at least, averaged over each window of
   * `bodyRateWindowMs` in which the proxy was not itself holding the client back (backend
   * backpressure); default 256 B/s; 0 = off. One byte every 59 s no longer pins a backend connection
   * (the silence timeout alone never fired). → 408 before the response, else the connection closes.
   */
  minBodyBytesPerSecond?: number;
  /** Window of the minimum body rate check; default 10 000 ms. */
  bodyRateWindowMs?: number;
  /**
   * Request buffering (nginx `proxy_request_buffering`, for small bodies): a request whose
   * Content-Length is at most this many bytes is read whole from the client before a backend
   * connection is taken or opened, so a client trickling a small body holds no backend connection
   * (the body timeout and the minimum body rate still apply while it is read). Chunked and larger
   * bodies are streamed as they arrive. An `Expect: 100-continue` on such a request is answered by
   * the proxy itself (and not forwarded), as nginx does. Default 16 384 (16 KiB); 0 = off.
   */
  bufferBodyBytes?: number;
  /**
   * Cap on open connections to one member (busy + connecting + idle), per listener (nginx
   * `max_conns` without a shared zone): a member at its cap is skipped by the pick like an ejected
   * one (the balancer's next choice is tried) unless an idle connection to it can be reused; when
   * every candidate is at its cap the request is answered 503 (`member_busy`). Default 1024; 0 = no cap.
   */
  maxConnectionsPerMember?: number;
  /** Connection attempts per request (other members on connect failure, fresh connection after a stale keep-alive); default 3. */
  maxTries?: number;
  /**
   * Compiles a listener's Trusted IPs (X-Forwarded-For trusted-only, Real IP Header). The listener layer
   * passes access-control's `compileAddressSet` (l7 sits below access-control and cannot import it);
   * default: none, and then nobody is trusted (fails closed: no client chain kept in trusted-only mode,
   * no real IP header believed).
   */
  compileTrustedIps?: TrustedIpsCompiler;
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
  readonly maxBodyBytes: number;
  readonly minBodyBytesPerSecond: number;
  readonly bodyRateWindowMs: number;
  readonly bufferBodyBytes: number;
  /** Infinity when uncapped. */
  readonly maxConnectionsPerMember: number;
  /** Passive ejection of members after failed connects. */
  readonly ejection: EjectionPolicy;
  /** Trusted IPs compiler; undefined = nobody is trusted. */
  readonly compileTrustedIps: TrustedIpsCompiler | undefined;
}

/** Applies defaults. */
export function resolveOptions(o: HttpProxyOptions = {}): ResolvedOptions {
  return {
    headTimeoutMs: o.headTimeoutMs ?? 10_000,
    bodyTimeoutMs: o.bodyTimeoutMs ?? 60_000,
    responseTimeoutMs: o.responseTimeoutMs ?? 60_000,
    connectTimeoutMs: o.connectTimeoutMs ?? 5_000,
    maxIdlePerBackend: o.maxIdlePerBackend ?? 1024,
    backendIdleTimeoutMs: o.backendIdleTimeoutMs ?? 60_000,
    requestLimits: { maxHeadBytes: o.maxHeadBytes ?? 32 * 1024, maxFields: o.maxHeaderCount ?? 100, allowBareLf: false },
    maxTries: o.maxTries ?? 3,
    maxBodyBytes: o.maxBodyBytes ?? 2 * 1024 ** 3,
    minBodyBytesPerSecond: o.minBodyBytesPerSecond ?? 256,
    bodyRateWindowMs: o.bodyRateWindowMs ?? 10_000,
    bufferBodyBytes: o.bufferBodyBytes ?? 16 * 1024,
    maxConnectionsPerMember: o.maxConnectionsPerMember === 0 ? Infinity : (o.maxConnectionsPerMember ?? 1024),
    ejection: {
      maxFails: o.maxFails ?? DEFAULT_EJECTION_POLICY.maxFails,
      failTimeoutMs: o.failTimeoutMs ?? DEFAULT_EJECTION_POLICY.failTimeoutMs,
    },
    compileTrustedIps: o.compileTrustedIps,
  };
}
