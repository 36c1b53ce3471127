/**
 * States of a client connection:
 * - "head": reading a request head (or idle between keep-alive requests);
 * - "body": the request is being forwarded and its body is still arriving;
 * - "wait": the request was sent, the response is awaited or relayed (pipelined bytes are stashed);
 * - "tunnel": upgraded (101), bytes flow both ways untouched;
 * - "closing": last response sent, FIN sent or about to be; "closed": the socket is gone.
 */
export type ClientState = "head" | "body" | "wait" | "tunnel" | "closing" | "closed";

/** True once the connection takes no further request. */
export function isClosing(state: ClientState): boolean {
  return state === "closing" || state === "closed";
}

/**
 * Kinds of the single deadline of a client connection, checked by the handler's sweep: request head,
 * keep-alive idle, request body silence, backend connect, first response byte, response streaming
 * silence, tunnel idle, lingering close. "none" = disarmed.
 */
export type TimerKind = "none" | "head" | "idle" | "body" | "connect" | "response" | "stream" | "tunnel" | "linger";

/** Kinds measured as silence (reset by any progress) rather than from a fixed start. */
export function measuresSilence(kind: TimerKind): boolean {
  return kind === "body" || kind === "stream" || kind === "tunnel";
}

/**
 * Stages of one exchange: "idle" (none yet), "awaiting-head" (request forwarded, waiting for the
 * backend's response head), "body" (relaying the response body), "tunnel" (after 101), "done".
 */
export type ExchangeStage = "idle" | "awaiting-head" | "body" | "tunnel" | "done";
