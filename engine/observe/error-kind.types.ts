/** Where an error came from (Pingora's ErrorSource): the client, a backend server, or the engine itself. */
export type ErrorSource = "client" | "backend" | "internal";

/**
 * What went wrong on a connection or request. L7 kinds map to HTTP statuses in `engine/l7/errors.ts`;
 * the L4 listeners use the backend ones (no_member, connect_failed, connect_timeout, backend_reset).
 */
export type ErrorKind =
  | "bad_request"
  | "uri_too_long"
  | "header_too_large"
  | "version_not_supported"
  | "not_implemented"
  | "method_not_allowed"
  | "request_timeout"
  | "no_pool"
  | "no_member"
  /** Every member the balancer offered is at its connection cap (l7 `maxConnectionsPerMember`): 503. */
  | "member_busy"
  | "connect_failed"
  | "connect_timeout"
  | "backend_reset"
  | "bad_response"
  | "response_timeout"
  | "internal"
  /** The listener's access control refused the client's address (closed at accept, never answered). */
  | "access_denied"
  /** The client went away before its response was complete (recorded on the request; never answered, nginx's 499). */
  | "client_closed"
  /** HTTPS: the TLS handshake failed, timed out, or the client certificate was refused (Mutual Authentication); the connection is closed. */
  | "tls_handshake"
  /**
   * PROXY protocol accept (listener `clientIp.proxyProtocolAccept`): a trusted peer sent no header, a
   * malformed one, or none in time, or an untrusted peer sent one; the connection is closed before any
   * handler, TLS or backend work (the cause says which, and names the peer).
   */
  | "proxy_protocol";
