import type net from "node:net";
import { decodeProxyHeader } from "../protocol/proxy-protocol/decode";
import { PROXY_V2_MAX_LENGTH, type ProxyDecodeResult, type ProxyHeader } from "../protocol/proxy-protocol/proxy-header.types";

/**
 * Reads the PROXY protocol header (HAProxy doc/proxy-protocol.txt) at the start of an accepted
 * connection, before any handler or TLS sees the socket.
 */

/** What `readProxyHeader` found; reported once. */
export type ProxyReadResult =
  /** A complete header; the bytes after it are back in the socket. */
  | { status: "header"; header: ProxyHeader }
  /** The first bytes cannot start a header (an ordinary client); they are back in the socket. */
  | { status: "absent" }
  /** A header breaking the spec, or (`required`) none at all: close the connection. */
  | { status: "invalid"; reason: string }
  /** No complete header in `timeoutMs`; what arrived (a partial header, or nothing) is back in the socket. */
  | { status: "timeout" }
  /** The peer closed, reset or ended its side before a header was complete (or the socket was already gone). */
  | { status: "closed" };

/** How to read one header. */
export interface ProxyReadOptions {
  /** Deadline from the call to a complete header (or to bytes that rule one out). */
  timeoutMs: number;
  /** true: the peer must send a header (a trusted proxy): bytes that cannot start one are `invalid`, not `absent`. */
  required: boolean;
}

const REQUIRED: ProxyReadResult = Object.freeze({
  status: "invalid",
  reason: "a PROXY protocol header is required from this peer: its first bytes are not a v1 or v2 signature",
});
const TOO_LONG: ProxyReadResult = Object.freeze({
  status: "invalid",
  reason: `no complete PROXY protocol header in the first ${PROXY_V2_MAX_LENGTH} bytes`,
});
const TIMEOUT: ProxyReadResult = Object.freeze({ status: "timeout" });
const CLOSED: ProxyReadResult = Object.freeze({ status: "closed" });

/** One read in progress, kept on its socket so that the listeners below are shared by every socket. */
interface ReadState {
  readonly done: (result: ProxyReadResult) => void;
  readonly required: boolean;
  readonly timer: NodeJS.Timeout;
  /** Bytes of earlier chunks (allocated only when a header spans reads), and how many are in use. */
  pending: Buffer | null;
  pendingLength: number;
}

const STATE = Symbol("proxyHeaderRead");
type ReadingSocket = net.Socket & { [STATE]?: ReadState };

/**
 * Reads from `socket` until its first bytes are a complete PROXY header (v1 or v2), cannot be one, or
 * break the spec; at most PROXY_V2_MAX_LENGTH bytes are ever held, and `timeoutMs` bounds the wait (one
 * timer). Then removes its listeners and timer, leaves the socket paused with every byte after the
 * header put back (`socket.unshift`: a later `pipe`, `readInto` or `new tls.TLSSocket(socket)` reads
 * them first — Node's _tls_wrap `initRead` feeds a wrapped socket's buffered bytes to TLS), and calls
 * `done` once, synchronously from a socket event (or at once if the socket is already destroyed).
 * With `required: false` an ordinary client's first bytes are put back and `absent` is reported; a
 * header is reported as found: refusing an untrusted sender is the caller's decision. Socket errors
 * while reading report `closed`; afterwards the caller owns error handling.
 */
export function readProxyHeader(socket: net.Socket, options: ProxyReadOptions, done: (result: ProxyReadResult) => void): void {
  if (socket.destroyed) return done(CLOSED);
  const state: ReadState = {
    done,
    required: options.required,
    timer: setTimeout(onTimeout, options.timeoutMs, socket as ReadingSocket),
    pending: null,
    pendingLength: 0,
  };
  (socket as ReadingSocket)[STATE] = state;
  socket.on("end", onGone);
  socket.on("close", onGone);
  socket.on("error", onGone);
  socket.on("data", onData);
  socket.resume(); // a socket accepted with pauseOnConnect stays paused with a 'data' listener alone
}

/** A chunk: decode what has arrived so far (this chunk alone in the common one-read case, no copy). */
function onData(this: ReadingSocket, chunk: Buffer): void {
  const state = this[STATE];
  if (state === undefined) return;
  const before = state.pendingLength;
  let result: ProxyDecodeResult;
  if (before === 0) {
    result = decodeProxyHeader(chunk);
  } else {
    const pending = state.pending!;
    const taken = Math.min(chunk.length, pending.length - before);
    chunk.copy(pending, before, 0, taken);
    state.pendingLength = before + taken;
    result = decodeProxyHeader(pending, 0, state.pendingLength);
  }
  switch (result.status) {
    case "header":
      // The header ends in this chunk (the bytes before it were an incomplete prefix): the rest is data.
      finish(this, state, result.length - before < chunk.length ? chunk.subarray(result.length - before) : null, 0, result);
      return;
    case "absent":
      finish(this, state, chunk, before, state.required ? REQUIRED : result);
      return;
    case "invalid":
      finish(this, state, null, 0, result);
      return;
    case "incomplete":
      if (before === 0) {
        // Grow only in the rare header split across reads; the decoder never calls a longer prefix incomplete.
        state.pending = Buffer.allocUnsafe(PROXY_V2_MAX_LENGTH);
        state.pendingLength = chunk.copy(state.pending, 0, 0, Math.min(chunk.length, PROXY_V2_MAX_LENGTH));
      }
      if (state.pendingLength >= PROXY_V2_MAX_LENGTH) finish(this, state, null, 0, TOO_LONG);
  }
}

function onTimeout(socket: ReadingSocket): void {
  const state = socket[STATE];
  if (state !== undefined) finish(socket, state, null, state.pendingLength, TIMEOUT);
}

function onGone(this: ReadingSocket): void {
  const state = this[STATE];
  if (state !== undefined) finish(this, state, null, 0, CLOSED);
}

/**
 * Ends the read: listeners and timer off, socket paused, then `rest` (bytes of the last chunk the caller
 * gets back) and before it the first `pendingBytes` bytes of earlier chunks put back, then `done`.
 */
function finish(socket: ReadingSocket, state: ReadState, rest: Buffer | null, pendingBytes: number, result: ProxyReadResult): void {
  socket[STATE] = undefined;
  clearTimeout(state.timer);
  socket.removeListener("data", onData);
  socket.removeListener("end", onGone);
  socket.removeListener("close", onGone);
  socket.removeListener("error", onGone);
  // Before any unshift: a flowing socket without 'data' listeners would drop what it reads next.
  socket.pause();
  if (!socket.destroyed) {
    if (rest !== null && rest.length > 0) socket.unshift(rest);
    if (pendingBytes > 0) socket.unshift(state.pending!.subarray(0, pendingBytes));
  }
  state.done(result);
}
