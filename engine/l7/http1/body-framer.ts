import { CR, FIELD_VCHAR, HEX_VALUE, HTAB, LF, SP } from "./bytes";
import { ParseError, type ParseErrorCode } from "./parse-error";

/** How a message body is delimited. */
export const BodyMode = {
  /** No body (GET without length, HEAD responses, 204, 304). */
  NONE: 0,
  /** Content-Length bytes. */
  LENGTH: 1,
  /** Chunked transfer coding, forwarded as is. */
  CHUNKED: 2,
  /** Until the sender closes (responses only). */
  UNTIL_CLOSE: 3,
} as const;

/** One of the BodyMode values. */
export type BodyModeValue = (typeof BodyMode)[keyof typeof BodyMode];

const S_SIZE = 0;
const S_SIZE_WS = 1;
const S_EXT = 2;
const S_SIZE_LF = 3;
const S_DATA = 4;
const S_DATA_CR = 5;
const S_DATA_LF = 6;
const S_TRAILER_START = 7;
const S_TRAILER = 8;
const S_TRAILER_LF = 9;
const S_FINAL_LF = 10;

/** Largest chunk size accepted (2^52: stays exact as a double). */
const MAX_CHUNK = 2 ** 52;
/** Bound on one chunk header's extensions and on the whole trailer section. */
const MAX_META_BYTES = 16 * 1024;

/**
 * Tracks where a streamed body ends without buffering or re-encoding it: bytes are forwarded as
 * they arrive and the framer only says how many of them belong to this message, so keep-alive
 * and pipelining work on both sides. Chunked framing is checked strictly (hex size, CRLF after
 * each part, bounded extensions and trailers); chunk data is skipped in O(1).
 */
export class BodyFramer {
  /** Current mode. */
  mode: BodyModeValue = BodyMode.NONE;
  /** The message body is complete. */
  done = true;
  /** Framing error (chunked only); the connection must close. */
  error: ParseErrorCode = ParseError.NONE;
  /** Bytes of this body seen so far (framing included). */
  seen = 0;
  /** The relay strips chunk framing (HTTP/1.0 client, RFC 9112 §6.1); set after `start`. */
  dechunk = false;
  /** After `consumeData`: the consumed run was chunk data (else framing). */
  inData = false;
  private remaining = 0;
  private state = S_SIZE;
  private digits = 0;
  private meta = 0;

  /** Starts a body: `length` is used by LENGTH mode. */
  start(mode: BodyModeValue, length = 0): void {
    this.mode = mode;
    this.dechunk = false;
    this.error = ParseError.NONE;
    this.seen = 0;
    this.remaining = length;
    this.state = S_SIZE;
    this.digits = 0;
    this.meta = 0;
    this.done = mode === BodyMode.NONE || (mode === BodyMode.LENGTH && length === 0);
  }

  /**
   * Consumes buf[start, end): returns the index where this body's bytes end (end when all of it
   * belongs to the body). Sets `done` at the end of the message and `error` on bad framing.
   */
  consume(buf: Buffer, start: number, end: number): number {
    if (this.done) return start;
    let stop: number;
    switch (this.mode) {
      case BodyMode.LENGTH: {
        const n = Math.min(this.remaining, end - start);
        this.remaining -= n;
        if (this.remaining === 0) this.done = true;
        stop = start + n;
        break;
      }
      case BodyMode.CHUNKED:
        stop = this.chunked(buf, start, end);
        break;
      default:
        stop = end;
    }
    this.seen += stop - start;
    return stop;
  }

  /**
   * Like `consume`, but stops at each boundary between chunk framing and chunk data, so the caller
   * can forward data runs alone (`inData`) and drop the framing: returns where the run ends.
   */
  consumeData(buf: Buffer, start: number, end: number): number {
    this.inData = false;
    if (this.done) return start;
    if (this.mode !== BodyMode.CHUNKED) {
      const stop = this.consume(buf, start, end);
      this.inData = stop > start;
      return stop;
    }
    const stop = this.chunked(buf, start, end, true);
    this.seen += stop - start;
    return stop;
  }

  /** UNTIL_CLOSE: the sender closed, so the body is complete. */
  finishOnClose(): void {
    if (this.mode === BodyMode.UNTIL_CLOSE) this.done = true;
  }

  private fail(i: number): number {
    this.error = ParseError.BAD_CHUNK;
    this.done = true;
    return i;
  }

  /** Chunked framing from buf[i]; `split` stops before and after each data run (consumeData). */
  private chunked(buf: Buffer, i: number, end: number, split = false): number {
    let state = this.state;
    const first = i;
    while (i < end) {
      if (state === S_DATA) {
        if (split && i > first) break;
        const n = Math.min(this.remaining, end - i);
        this.remaining -= n;
        i += n;
        if (this.remaining === 0) state = S_DATA_CR;
        if (split) {
          this.inData = true;
          break;
        }
        continue;
      }
      const c = buf[i++]!;
      switch (state) {
        case S_SIZE: {
          const h = HEX_VALUE[c]!;
          if (h >= 0) {
            this.remaining = this.remaining * 16 + h;
            if (this.remaining > MAX_CHUNK) return this.fail(i);
            this.digits++;
          } else if (this.digits === 0) return this.fail(i);
          else if (c === CR) state = S_SIZE_LF;
          else if (c === 0x3b) state = S_EXT;
          else if (c === SP || c === HTAB) state = S_SIZE_WS;
          else return this.fail(i);
          break;
        }
        case S_SIZE_WS:
          if (c === 0x3b) state = S_EXT;
          else if (c !== SP && c !== HTAB) return this.fail(i);
          break;
        case S_EXT:
          if (c === CR) state = S_SIZE_LF;
          else if (FIELD_VCHAR[c] !== 1 || ++this.meta > MAX_META_BYTES) return this.fail(i);
          break;
        case S_SIZE_LF:
          if (c !== LF) return this.fail(i);
          this.digits = 0;
          state = this.remaining === 0 ? S_TRAILER_START : S_DATA;
          break;
        case S_DATA_CR:
          if (c !== CR) return this.fail(i);
          state = S_DATA_LF;
          break;
        case S_DATA_LF:
          if (c !== LF) return this.fail(i);
          state = S_SIZE;
          this.meta = 0;
          break;
        case S_TRAILER_START:
          if (c === CR) state = S_FINAL_LF;
          else if (FIELD_VCHAR[c] !== 1 || c === SP || c === HTAB) return this.fail(i);
          else state = S_TRAILER;
          break;
        case S_TRAILER:
          if (c === CR) state = S_TRAILER_LF;
          else if (FIELD_VCHAR[c] !== 1 || ++this.meta > MAX_META_BYTES) return this.fail(i);
          break;
        case S_TRAILER_LF:
          if (c !== LF) return this.fail(i);
          state = S_TRAILER_START;
          break;
        case S_FINAL_LF:
          if (c !== LF) return this.fail(i);
          this.state = state;
          this.done = true;
          return i;
      }
    }
    this.state = state;
    return i;
  }
}
