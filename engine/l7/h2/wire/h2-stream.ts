import type { OutgoingHttpHeaders } from "node:http2";
import { DEFAULT_WINDOW, FLAG_END_STREAM, INTERNAL_ERROR } from "./frames";

/**
 * What a stream tells its owner (the `StreamExchange`), through plain method calls: request body
 * bytes (`chunk` is a view of a buffer the connection read: the owner may keep it), the client's
 * END_STREAM, room again for response bytes after a `write` answered false, and the stream's close
 * (both sides ended, either side reset it, or the connection went away) — once.
 */
export interface H2StreamOwner {
  onClientData(chunk: Buffer): void;
  onClientEnd(): void;
  onStreamDrain(): void;
  onStreamClose(): void;
}

/** What a stream asks of its connection (`H2Connection`): windows, the output buffer, closing. */
export interface StreamHost {
  /** The connection's send window (the client's receive window for all streams). */
  sendWindow: number;
  /** The client's SETTINGS_MAX_FRAME_SIZE. */
  readonly peerMaxFrame: number;
  /** The socket took no more (a write answered false): no DATA until it drains. */
  readonly blocked: boolean;
  /** Appends a header block (HEADERS, CONTINUATION as needed); throws before writing anything when `headers` cannot be encoded. */
  writeHeaders(streamId: number, headers: OutgoingHttpHeaders, endStream: boolean): void;
  /** Appends one DATA frame of `buf[start, start + n)`. */
  writeData(streamId: number, buf: Buffer, start: number, n: number, flags: number): void;
  /** The stream waits for the connection window or the socket: `pump` it when either opens. */
  waitForConnection(stream: H2Stream): void;
  /** Sends WINDOW_UPDATE for the bytes the stream consumed and not yet granted back. */
  grantStream(stream: H2Stream): void;
  /** Sends RST_STREAM `code` and closes the stream; its owner hears of it after the current call. */
  resetStream(stream: H2Stream, code: number, notifyNow: boolean): void;
  /** Both sides ended: the stream is closed. */
  closeStream(stream: H2Stream, notifyNow: boolean): void;
}

/** Response bytes a stream may hold beyond its window before `write` answers false. */
export const STREAM_HIGH_WATER = 64 * 1024;

const EMPTY = Buffer.alloc(0);

/** The owner of a stream until its exchange takes it: drops everything. */
const NO_OWNER: H2StreamOwner = {
  onClientData() {},
  onClientEnd() {},
  onStreamDrain() {},
  onStreamClose() {},
};

/**
 * One HTTP/2 request stream of an `H2Connection`, seen by its exchange as node:http2's
 * ServerHttp2Stream was: `respond` (the header block, with END_STREAM for a response without body),
 * `informational` (a 1xx block), `write`/`end` (DATA, split to the windows and the client's frame size;
 * what does not fit waits here and goes out as WINDOW_UPDATEs come — `write` answers false past
 * `STREAM_HIGH_WATER` held, and the owner hears `onStreamDrain` once it falls back), `pause`/`resume`
 * (while paused the client's window for the stream is not reopened: its upload is held back), `close`
 * (RST_STREAM once what was queued went out) and `abort` (RST_STREAM INTERNAL_ERROR now, queue
 * dropped). Everything after the stream closed is ignored.
 */
export class H2Stream {
  /** Who hears of the stream's events (set by the exchange when it takes the stream). */
  owner: H2StreamOwner = NO_OWNER;
  /** The request's HEADERS carried END_STREAM (no body). */
  endAfterHeaders = false;
  /** The client's END_STREAM arrived (half-closed remote). */
  remoteEnded = false;
  /** Our END_STREAM is in the output. */
  localEnded = false;
  /** Closed (both sides ended, or reset, or the connection went away): every call is ignored. */
  closed = false;
  /** The response header block went out. */
  headersSent = false;
  /** `end` was called (or `respond` ended the stream). */
  writableEnded = false;
  /** A `write` answered false: `onStreamDrain` follows once the queue falls below the high-water mark. */
  writableNeedDrain = false;
  /** The client's window for this stream. */
  sendWindow: number;
  /** Our window for the client's DATA on this stream. */
  recvWindow = DEFAULT_WINDOW;
  /** Request bytes consumed and not yet granted back (WINDOW_UPDATE). */
  unacked = 0;
  /** The request's Content-Length (-1: none) and the DATA payload bytes received. */
  contentLength = -1;
  received = 0;
  /** Response bytes waiting for a window. */
  queuedBytes = 0;
  /** Connection bookkeeping: in its wait list; its owner was told of the close. */
  waiting = false;
  notified = false;
  private paused = false;
  /** Buffers waiting (the first from `queueStart`); null until something waits. */
  private queue: Buffer[] | null = null;
  private queueStart = 0;
  /** RST_STREAM code to send once the queue is out (-1: none). */
  private resetAfter = -1;

  constructor(
    readonly id: number,
    private readonly host: StreamHost,
    initialWindow: number,
  ) {
    this.sendWindow = initialWindow;
  }

  /** Sends the response header block; `endStream` for a response without body (HEAD, 204, 304). */
  respond(headers: OutgoingHttpHeaders, endStream: boolean): void {
    if (this.closed || this.headersSent) return;
    this.host.writeHeaders(this.id, headers, endStream);
    this.headersSent = true;
    if (endStream) {
      this.writableEnded = true;
      this.localEnded = true;
      this.settle();
    }
  }

  /** Sends an informational (1xx) header block before the response. */
  informational(status: number): void {
    if (this.closed || this.headersSent) return;
    this.host.writeHeaders(this.id, { ":status": status }, false);
  }

  /** Response body bytes as DATA; false = `STREAM_HIGH_WATER` or more wait here (`onStreamDrain` follows). */
  write(data: Buffer): boolean {
    if (this.closed || this.writableEnded) return true;
    if (this.queuedBytes === 0) {
      const sent = this.send(data, 0, false);
      if (sent === data.length) return true;
      this.enqueue(data, sent);
    } else this.enqueue(data, 0);
    if (this.queuedBytes < STREAM_HIGH_WATER) return true;
    this.writableNeedDrain = true;
    return false;
  }

  /** The last body bytes (a string is latin1), then END_STREAM. */
  end(data?: Buffer | string): void {
    if (this.closed || this.writableEnded) return;
    this.writableEnded = true;
    if (data !== undefined && data.length > 0) {
      const buf = typeof data === "string" ? Buffer.from(data, "latin1") : data;
      if (this.queuedBytes !== 0) this.enqueue(buf, 0);
      else {
        const sent = this.send(buf, 0, true);
        if (sent < buf.length) this.enqueue(buf, sent);
      }
    }
    if (this.queuedBytes === 0) this.settle();
  }

  /** Stops reopening the client's window for this stream (its DATA still arrives, up to the window). */
  pause(): void {
    this.paused = true;
  }

  /** Reopens the client's window for what was consumed while paused. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.unacked > 0 && !this.remoteEnded && !this.closed) this.host.grantStream(this);
  }

  isPaused(): boolean {
    return this.paused;
  }

  /** RST_STREAM `code` once what was queued went out (NO_ERROR after an answer given before the request's end). */
  close(code: number): void {
    if (this.closed) return;
    this.resetAfter = code;
    if (this.queuedBytes === 0) this.settle();
  }

  /** RST_STREAM INTERNAL_ERROR now; what was queued is dropped (the client never takes a cut body as complete). */
  abort(): void {
    if (this.closed) return;
    this.queue = null;
    this.queuedBytes = 0;
    this.host.resetStream(this, INTERNAL_ERROR, false);
  }

  /** Connection: a window opened or the socket drained; sends what waits, as far as the windows go. */
  pump(): void {
    if (this.closed) return;
    const queue = this.queue;
    if (queue !== null) {
      while (queue.length > 0) {
        const buf = queue[0]!;
        const start = this.queueStart;
        const sent = this.send(buf, start, this.writableEnded && queue.length === 1);
        this.queuedBytes -= sent - start;
        if (sent < buf.length) {
          this.queueStart = sent;
          break;
        }
        queue.shift();
        this.queueStart = 0;
      }
      if (this.queuedBytes === 0) this.settle();
    }
    if (this.writableNeedDrain && this.queuedBytes < STREAM_HIGH_WATER && !this.closed) {
      this.writableNeedDrain = false;
      this.owner.onStreamDrain();
    }
  }

  /** Sends buf[start..] as DATA frames while the windows and the socket allow; returns where it stopped. */
  private send(buf: Buffer, start: number, final: boolean): number {
    const host = this.host;
    const end = buf.length;
    let i = start;
    while (i < end && !host.blocked) {
      let n = end - i;
      if (n > this.sendWindow) n = this.sendWindow;
      if (n > host.sendWindow) n = host.sendWindow;
      if (n > host.peerMaxFrame) n = host.peerMaxFrame;
      if (n <= 0) break;
      const last = final && i + n === end;
      host.writeData(this.id, buf, i, n, last ? FLAG_END_STREAM : 0);
      this.sendWindow -= n;
      host.sendWindow -= n;
      i += n;
      if (last) this.localEnded = true;
    }
    // Held by the connection (its window or the socket), not by our own window: wait for it to open.
    if (i < end && this.sendWindow > 0) host.waitForConnection(this);
    return i;
  }

  private enqueue(buf: Buffer, from: number): void {
    const queue = (this.queue ??= []);
    if (queue.length === 0) this.queueStart = from;
    else if (from !== 0) {
      buf = buf.subarray(from);
      from = 0;
    }
    queue.push(buf);
    this.queuedBytes += buf.length - from;
  }

  /** Nothing waits: END_STREAM if ended, then the reset asked for, or the close when both sides ended. */
  private settle(): void {
    const host = this.host;
    if (this.writableEnded && !this.localEnded) {
      host.writeData(this.id, EMPTY, 0, 0, FLAG_END_STREAM);
      this.localEnded = true;
    }
    if (this.localEnded && this.remoteEnded) host.closeStream(this, false);
    else if (this.resetAfter >= 0) host.resetStream(this, this.resetAfter, false);
  }
}
