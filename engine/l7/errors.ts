import type { ErrorKind, ErrorSource } from "../observe/error-kind.types";
import { ParseError, type ParseErrorCode } from "./http1/parse-error";

/** What went wrong while proxying one request (the engine's error kinds). */
export type ProxyErrorKind = ErrorKind;

/** How each kind is answered: status, source, whether the request may be retried, whether the client connection must close. */
interface ErrorSpec {
  readonly status: number;
  readonly source: ErrorSource;
  readonly retrySafe: boolean;
  readonly closeClient: boolean;
}

/**
 * The one table mapping errors to responses: client protocol errors → 4xx and close (the byte
 * stream can no longer be trusted); no pool/member, or every member at its connection cap → 503; backend connect error, reset or
 * malformed response → 502; backend too slow → 504.
 */
const SPECS: Record<ProxyErrorKind, ErrorSpec> = {
  bad_request: { status: 400, source: "client", retrySafe: false, closeClient: true },
  uri_too_long: { status: 414, source: "client", retrySafe: false, closeClient: true },
  header_too_large: { status: 431, source: "client", retrySafe: false, closeClient: true },
  version_not_supported: { status: 505, source: "client", retrySafe: false, closeClient: true },
  not_implemented: { status: 501, source: "client", retrySafe: false, closeClient: true },
  method_not_allowed: { status: 405, source: "client", retrySafe: false, closeClient: true },
  request_timeout: { status: 408, source: "client", retrySafe: false, closeClient: true },
  no_pool: { status: 503, source: "internal", retrySafe: false, closeClient: false },
  no_member: { status: 503, source: "internal", retrySafe: false, closeClient: false },
  member_busy: { status: 503, source: "internal", retrySafe: false, closeClient: false },
  connect_failed: { status: 502, source: "backend", retrySafe: true, closeClient: false },
  connect_timeout: { status: 504, source: "backend", retrySafe: true, closeClient: false },
  backend_reset: { status: 502, source: "backend", retrySafe: false, closeClient: false },
  bad_response: { status: 502, source: "backend", retrySafe: false, closeClient: false },
  response_timeout: { status: 504, source: "backend", retrySafe: false, closeClient: false },
  internal: { status: 500, source: "internal", retrySafe: false, closeClient: true },
  access_denied: { status: 403, source: "client", retrySafe: false, closeClient: true }, // at accept: the connection is closed, nothing answered
  client_closed: { status: 499, source: "client", retrySafe: false, closeClient: true },
  tls_handshake: { status: 400, source: "client", retrySafe: false, closeClient: true }, // before any request: the connection is closed, nothing answered
  proxy_protocol: { status: 400, source: "client", retrySafe: false, closeClient: true }, // at accept, before any request: closed, nothing answered
};

/**
 * The status of a request whose backend connect failed for lack of file descriptors (EMFILE/ENFILE).
 * The shortage is the engine's, not the member's: it is reported as `internal` (like the TCP path),
 * counts nothing against the member and tries no other (every connect would fail alike), but is
 * answered 503 rather than `internal`'s 500 — the condition is temporary overload of the engine, and
 * a client may retry — and not 502, which would blame a backend. The client connection is kept
 * (when the request allows it): a retry on it needs no new descriptor.
 */
export const DESCRIPTOR_SHORTAGE_STATUS = 503;

/** An error of the L7 proxy path: its kind, source, HTTP status and whether a retry is safe. */
export class ProxyError extends Error {
  readonly source: ErrorSource;
  readonly status: number;
  readonly retrySafe: boolean;
  /** The client connection cannot carry another request after this error. */
  readonly closeClient: boolean;

  constructor(
    readonly kind: ProxyErrorKind,
    message: string = kind,
    options?: { cause?: unknown; retrySafe?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    const spec = SPECS[kind];
    this.name = "ProxyError";
    this.source = spec.source;
    this.status = spec.status;
    this.retrySafe = options?.retrySafe ?? spec.retrySafe;
    this.closeClient = spec.closeClient;
  }
}

/** The ProxyError for an observed error kind (observers that keep errors build it; the hot path never does). */
export function proxyErrorOf(kind: ProxyErrorKind, cause?: unknown): ProxyError {
  return new ProxyError(kind, `${kind} (${SPECS[kind].status})`, { cause: cause ?? undefined });
}

/** Status code for an error kind. */
export function statusOf(kind: ProxyErrorKind): number {
  return SPECS[kind].status;
}

/** True when the client connection must close after answering this kind. */
export function closesClient(kind: ProxyErrorKind): boolean {
  return SPECS[kind].closeClient;
}

/** Maps a request parse error to the error kind answered to the client. */
export function requestParseErrorKind(code: ParseErrorCode): ProxyErrorKind {
  switch (code) {
    case ParseError.HEAD_TOO_LARGE:
    case ParseError.TOO_MANY_FIELDS:
      return "header_too_large";
    case ParseError.URI_TOO_LONG:
      return "uri_too_long";
    case ParseError.VERSION_NOT_SUPPORTED:
      return "version_not_supported";
    case ParseError.UNSUPPORTED_TRANSFER_ENCODING:
      return "not_implemented";
    case ParseError.METHOD_NOT_ALLOWED:
      return "method_not_allowed";
    default:
      return "bad_request";
  }
}

/** Human-readable reason for a parse error code (logs and test messages). */
export function parseErrorName(code: ParseErrorCode): string {
  for (const [name, value] of Object.entries(ParseError)) if (value === code) return name;
  return "UNKNOWN";
}
