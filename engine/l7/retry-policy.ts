/** What to do when a backend connection fails before the first response byte. */
export const Retry = {
  /** Answer the error (502/504). */
  NONE: 0,
  /** The connection never reached the server, so the request was never seen: try another member. */
  OTHER_MEMBER: 1,
  /** A reused keep-alive connection died under an idempotent bodyless request (the backend closed it as we sent): same member, new connection. */
  FRESH_CONNECTION: 2,
} as const;

/** What is known about a failed attempt. */
export interface FailedAttempt {
  /** TCP connect had completed. */
  connected: boolean;
  /** The connection came from the idle pool. */
  reused: boolean;
  /** Method is idempotent (GET, HEAD, OPTIONS, TRACE, PUT, DELETE). */
  idempotent: boolean;
  /** Request body bytes already written (they cannot be replayed: bodies are streamed, not buffered). */
  bodyBytesSent: number;
  /** Attempts made so far, and the limit. */
  tries: number;
  maxTries: number;
}

/**
 * Pingora-style retry decision: only when no response byte arrived (the caller checks), no body
 * byte left, and attempts remain; then by where the failure happened.
 */
export function retryDecision(a: FailedAttempt): number {
  if (a.bodyBytesSent > 0 || a.tries >= a.maxTries) return Retry.NONE;
  if (!a.connected) return Retry.OTHER_MEMBER;
  return a.reused && a.idempotent ? Retry.FRESH_CONNECTION : Retry.NONE;
}
