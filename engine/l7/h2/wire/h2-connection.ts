import type { OutgoingHttpHeaders } from "node:http2";
import type net from "node:net";
import { HpackDecoder } from "../hpack/hpack-decoder";
import { HpackEncoder } from "../hpack/hpack-encoder";
import {
  CLIENT_PREFACE,
  COMPRESSION_ERROR,
  CONTINUATION,
  DATA,
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_WINDOW,
  ENHANCE_YOUR_CALM,
  FLAG_ACK,
  FLAG_END_HEADERS,
  FLAG_END_STREAM,
  FLAG_PADDED,
  FLAG_PRIORITY,
  FLOW_CONTROL_ERROR,
  FRAME_HEADER_BYTES,
  FRAME_SIZE_ERROR,
  GOAWAY,
  HEADERS,
  INTERNAL_ERROR,
  MAX_FRAME_SIZE_LIMIT,
  MAX_WINDOW,
  NO_ERROR,
  PING,
  PRIORITY,
  PROTOCOL_ERROR,
  PUSH_PROMISE,
  REFUSED_STREAM,
  RST_STREAM,
  SETTINGS,
  SETTINGS_ENABLE_PUSH,
  SETTINGS_HEADER_TABLE_SIZE,
  SETTINGS_INITIAL_WINDOW_SIZE,
  SETTINGS_MAX_CONCURRENT_STREAMS,
  SETTINGS_MAX_FRAME_SIZE,
  SETTINGS_MAX_HEADER_LIST_SIZE,
  STREAM_CLOSED,
  WINDOW_UPDATE,
  writeFrameHeader,
} from "./frames";
import { INVALID_HEAD, checkRequestHead, checkTrailers } from "./header-check";
import { FrameBudget } from "./frame-budget";
import { H2Stream, type StreamHost } from "./h2-stream";

/** What a connection tells its owner (the `H2Session`): a new request stream with its raw header list, and its end. */
export interface H2ConnectionOwner {
  /** A request's header block arrived and passed the checks: `raw` is `[name, value, …]` (latin1, names lowercase). */
  onStream(stream: H2Stream, raw: string[]): void;
  /** The socket closed (every stream was closed before). */
  onClose(): void;
}

/** The limits a connection announces and enforces (built once per handler). */
export interface H2Limits {
  /** SETTINGS_MAX_CONCURRENT_STREAMS; a stream past it is refused (RST_STREAM REFUSED_STREAM). */
  readonly maxConcurrentStreams: number;
  /** SETTINGS_MAX_HEADER_LIST_SIZE (RFC 7541 size); a list past it is refused (RST_STREAM ENHANCE_YOUR_CALM). */
  readonly maxHeaderListSize: number;
  /** Fields a header list may hold, pseudo-headers included; past it, refused as above. */
  readonly maxHeaderListPairs: number;
}

/** Our receive window for the whole connection (raised from 65 535 by a WINDOW_UPDATE in the preface). */
export const CONNECTION_WINDOW = 1024 * 1024;
/** Consumed bytes granted back to the connection window at once past this. */
const CONNECTION_GRANT_AT = CONNECTION_WINDOW / 4;
/** Consumed bytes granted back to a (not paused) stream's window past this: half its window. */
const STREAM_GRANT_AT = 32 * 1024;
/** Output slab: frames are appended here and flushed once per event-loop turn. */
const OUT_SLAB = 64 * 1024;
/** Client RST_STREAMs: a burst this large, then this many per second (CVE-2023-44487, rapid reset). */
const RESET_BURST = 1000;
const RESETS_PER_SECOND = 100;
/** Empty DATA frames without END_STREAM and empty CONTINUATIONs: the same kind of budget. */
const EMPTY_BURST = 1000;
const EMPTY_PER_SECOND = 100;
/** Output other than DATA (header blocks, SETTINGS ACK, PING ACK, RST_STREAM) queued while the client does not read, before the connection is cut. */
const MAX_CONTROL_WHILE_BLOCKED = 1024 * 1024;
/** CONTINUATION frames one header block may take. */
const MAX_BLOCK_FRAMES = 256;
/** Stream ids we reset while the client could still send on them, remembered so late frames are ignored. */
const MAX_RECENT_RESETS = 256;
/** How long a connection that sent its last GOAWAY waits for the client to close before it is destroyed. */
const LINGER_MS = 2000;

const EMPTY = Buffer.alloc(0);

/** Adds `id` to a bounded set of recent stream ids (the oldest leaves first). */
function remember(set: Set<number>, id: number): void {
  if (set.size >= MAX_RECENT_RESETS) for (const oldest of set) {
    set.delete(oldest);
    break;
  }
  set.add(id);
}

/** The connection a socket belongs to (one property: the shared handlers below find it). */
const CONNECTION = Symbol("H2Connection");
type OwnedSocket = net.Socket & { [CONNECTION]: H2Connection };

// Socket handlers shared by every connection (`this` = the socket): no closure per connection.
function onSocketData(this: OwnedSocket, chunk: Buffer): void {
  this[CONNECTION].onData(chunk);
}
function onSocketDrain(this: OwnedSocket): void {
  this[CONNECTION].onDrain();
}
function onSocketClose(this: OwnedSocket): void {
  this[CONNECTION].onSocketClose();
}
function ignoreError(): void {
  // 'close' follows and ends the connection
}
function onLinger(socket: net.Socket): void {
  socket.destroy();
}

/**
 * Reports an exception caught around an owner's call (or a socket's) without letting it stop the
 * connection's own bookkeeping: rethrown from a microtask, where the engine's uncaughtException listener
 * (main.ts, worker-thread.ts) logs it and the process keeps serving.
 */
function report(err: unknown): void {
  queueMicrotask(() => {
    throw err;
  });
}

// Output of every connection goes out once per event-loop turn: one shared setImmediate over the dirty ones.
let dirty: H2Connection[] = [];
let flushing: H2Connection[] = [];
let flushScheduled = false;
function flushAll(): void {
  flushScheduled = false;
  const list = dirty;
  dirty = flushing;
  flushing = list;
  for (let i = 0; i < list.length; i++) {
    try {
      list[i]!.flush();
    } catch (err) {
      report(err); // one connection's failure never holds back the others' output
    }
  }
  list.length = 0;
}
function markDirty(conn: H2Connection): void {
  dirty.push(conn);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushAll);
  }
}

/**
 * One HTTP/2 server connection (RFC 9113) on an already-secured socket, in place of node:http2's
 * session: the client preface and SETTINGS, our SETTINGS at once, frame parsing across chunks, HPACK
 * (one decoder and encoder per connection), request streams (`H2Stream`) with their state machine and
 * the header checks nghttp2 made (header-check.ts), flow control both ways, GOAWAY, and the abuse bounds
 * (README: limits). Frames go to a per-connection output buffer written once per event-loop turn for
 * every connection with output (one TLS write for all the responses a poll phase produced); a socket
 * write answering false stops DATA until 'drain'.
 *
 * The owner hears `onStream` per request and `onClose` at the end; each stream's owner its own events.
 * Peer-caused stream closes reach the stream's owner at once; closes its owner caused (an end, a reset)
 * reach it before the next flush, never inside its own call.
 */
export class H2Connection implements StreamHost {
  sendWindow = DEFAULT_WINDOW;
  peerMaxFrame = DEFAULT_MAX_FRAME_SIZE;
  blocked = false;
  private readonly decoder = new HpackDecoder();
  private readonly encoder = new HpackEncoder();
  private readonly streams = new Map<number, H2Stream>();
  private peerInitialWindow = DEFAULT_WINDOW;
  private recvWindow = CONNECTION_WINDOW;
  private recvUnacked = 0;
  /** Streams waiting for the connection window or the socket. */
  private waiting: H2Stream[] = [];
  /** Streams closed by their owner's call, told before the next flush. */
  private closedStreams: H2Stream[] = [];
  /** The highest client stream id seen. */
  private lastStreamId = 0;
  /** Our GOAWAY went out: no new streams; the socket ends once the open ones are done. */
  private goawaySent = false;
  /** The last stream id our graceful GOAWAY named: frames on higher ids are ignored. */
  private goawayStreamId = MAX_WINDOW;
  /** The client lowered SETTINGS_HEADER_TABLE_SIZE: our next header block starts with a table size update (to 0). */
  private tableUpdate = false;
  /** The client sent GOAWAY: the socket ends once the open ones are done. */
  private peerGoaway = false;
  /** A connection error (GOAWAY sent), destroyed, or closed: input is ignored. */
  private dead = false;
  /** socket.end() was called, or the socket closed: nothing more is written. */
  private ended = false;
  private prefaceAt = 0;
  private settingsSeen = false;
  /** A frame split across chunks: its bytes so far (`partialHead` until its header is whole). */
  private partial: Buffer | null = null;
  private partialLen = 0;
  private partialHead: Buffer | null = null;
  /** A header block awaiting CONTINUATION: its stream, END_STREAM, bytes and frames so far. */
  private blockStream = 0;
  private blockEndStream = false;
  private block: Buffer = EMPTY;
  private blockLen = 0;
  private blockFrames = 0;
  private blockSelfDependent = false;
  private readonly maxBlockBytes: number;
  /** Entries a decoded list collects at most: one field past `maxHeaderListPairs`, enough to see it is too long. */
  private readonly maxListEntries: number;
  private readonly recentResets = new Set<number>();
  /** Stream ids the client reset: DATA or HEADERS on them after it is a stream error STREAM_CLOSED (RFC 9113 §5.1). */
  private readonly clientResets = new Set<number>();
  private readonly resets = new FrameBudget(RESET_BURST, RESETS_PER_SECOND);
  private readonly emptyFrames = new FrameBudget(EMPTY_BURST, EMPTY_PER_SECOND);
  private controlWhileBlocked = 0;
  private isDirty = false;
  /** The client stopped reading past the bound: destroyed at the next flush. */
  private cutOff = false;
  private out: Buffer = EMPTY;
  private outStart = 0;
  private outEnd = 0;
  private lingerTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: net.Socket,
    private readonly owner: H2ConnectionOwner,
    private readonly limits: H2Limits,
  ) {
    this.maxBlockBytes = 2 * limits.maxHeaderListSize + 16 * 1024;
    this.maxListEntries = 2 * limits.maxHeaderListPairs + 2;
    (socket as OwnedSocket)[CONNECTION] = this;
    socket.on("data", onSocketData);
    socket.on("drain", onSocketDrain);
    socket.on("close", onSocketClose);
    socket.on("error", ignoreError);
    this.writeSettings();
    this.writeWindowUpdate(0, CONNECTION_WINDOW - DEFAULT_WINDOW);
  }

  /** Open streams. */
  get streamCount(): number {
    return this.streams.size;
  }

  /** Graceful close: GOAWAY(NO_ERROR, last stream id), no new streams; the socket ends once the open streams are done. */
  close(): void {
    if (this.goawaySent || this.dead) return;
    this.goawaySent = true;
    this.goawayStreamId = this.lastStreamId;
    this.writeGoaway(NO_ERROR);
    if (this.streams.size === 0) this.touch(); // the flush ends the socket
  }

  /** Ends the connection now: every open stream closes, then the socket. */
  destroy(): void {
    this.dead = true;
    this.ended = true;
    this.closeAll();
    this.socket.destroy();
  }

  /** Lets go of the output buffer while no stream is open (an idle connection holds no slab). */
  releaseBuffers(): void {
    if (this.streams.size === 0 && this.outStart === this.outEnd) {
      this.out = EMPTY;
      this.outStart = this.outEnd = 0;
    }
  }

  // Input.

  onData(chunk: Buffer): void {
    if (this.dead || this.ended) return; // ended: nothing we would answer could be written
    const n = chunk.length;
    let i = 0;
    if (this.prefaceAt < CLIENT_PREFACE.length) {
      i = this.readPreface(chunk);
      if (i < 0 || this.prefaceAt < CLIENT_PREFACE.length) return;
    }
    if (this.partialLen > 0) {
      i = this.fillPartial(chunk, i);
      if (i < 0) return;
    }
    while (!this.dead) {
      const left = n - i;
      if (left < FRAME_HEADER_BYTES) {
        if (left > 0) this.keepPartial(chunk, i);
        return;
      }
      const length = (chunk[i]! << 16) | (chunk[i + 1]! << 8) | chunk[i + 2]!;
      if (length > DEFAULT_MAX_FRAME_SIZE) return this.fail(FRAME_SIZE_ERROR);
      if (left < FRAME_HEADER_BYTES + length) return this.keepPartial(chunk, i);
      this.frame(chunk, i, length);
      i += FRAME_HEADER_BYTES + length;
    }
  }

  /** Matches the client preface; returns where frames start (-1: it was wrong, the connection failed). */
  private readPreface(chunk: Buffer): number {
    let at = this.prefaceAt;
    let i = 0;
    while (i < chunk.length && at < CLIENT_PREFACE.length) {
      if (chunk[i] !== CLIENT_PREFACE[at]) {
        this.fail(PROTOCOL_ERROR);
        return -1;
      }
      i++;
      at++;
    }
    this.prefaceAt = at;
    return i;
  }

  /** Keeps chunk[i..] (less than one frame) for the next chunk: a buffer of the frame's own size once its header is known. */
  private keepPartial(chunk: Buffer, i: number): void {
    const left = chunk.length - i;
    if (left >= FRAME_HEADER_BYTES) {
      const length = (chunk[i]! << 16) | (chunk[i + 1]! << 8) | chunk[i + 2]!;
      this.partial = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length); // fresh: a DATA payload in it goes to the owner
    } else this.partial = this.partialHead ??= Buffer.allocUnsafe(FRAME_HEADER_BYTES);
    chunk.copy(this.partial, 0, i);
    this.partialLen = left;
  }

  /** Completes the kept frame from chunk[i..]; returns where the chunk's own frames start, -1 when it is all taken. */
  private fillPartial(chunk: Buffer, i: number): number {
    const n = chunk.length;
    if (this.partialLen < FRAME_HEADER_BYTES) {
      const head = this.partial!;
      const take = Math.min(FRAME_HEADER_BYTES - this.partialLen, n - i);
      chunk.copy(head, this.partialLen, i, i + take);
      this.partialLen += take;
      i += take;
      if (this.partialLen < FRAME_HEADER_BYTES) return -1;
      const length = (head[0]! << 16) | (head[1]! << 8) | head[2]!;
      if (length > DEFAULT_MAX_FRAME_SIZE) {
        this.fail(FRAME_SIZE_ERROR);
        return -1;
      }
      const whole = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length);
      head.copy(whole, 0, 0, FRAME_HEADER_BYTES);
      this.partial = whole;
    }
    const frame = this.partial!;
    const take = Math.min(frame.length - this.partialLen, n - i);
    chunk.copy(frame, this.partialLen, i, i + take);
    this.partialLen += take;
    i += take;
    if (this.partialLen < frame.length) return -1;
    this.partial = null;
    this.partialLen = 0;
    this.frame(frame, 0, frame.length - FRAME_HEADER_BYTES);
    return this.dead ? -1 : i;
  }

  /** One whole frame at buf[at, at + 9 + length); an owner's exception ends the connection (GOAWAY INTERNAL_ERROR), never the process. */
  private frame(buf: Buffer, at: number, length: number): void {
    try {
      this.dispatch(buf, at, length);
    } catch (err) {
      report(err);
      this.fail(INTERNAL_ERROR);
    }
  }

  private dispatch(buf: Buffer, at: number, length: number): void {
    const type = buf[at + 3]!;
    const flags = buf[at + 4]!;
    const id = buf.readUInt32BE(at + 5) & 0x7fffffff;
    const p = at + FRAME_HEADER_BYTES;
    if (this.blockStream !== 0 && type !== CONTINUATION) return this.fail(PROTOCOL_ERROR); // nothing may come between
    if (!this.settingsSeen) {
      if (type !== SETTINGS || (flags & FLAG_ACK) !== 0) return this.fail(PROTOCOL_ERROR); // the preface's SETTINGS first
      this.settingsSeen = true;
    }
    switch (type) {
      case DATA:
        return this.onDataFrame(buf, p, length, flags, id);
      case HEADERS:
        return this.onHeadersFrame(buf, p, length, flags, id);
      case PRIORITY:
        if (id === 0) return this.fail(PROTOCOL_ERROR);
        if (length !== 5) return this.fail(FRAME_SIZE_ERROR);
        if ((buf.readUInt32BE(p) & 0x7fffffff) === id) return this.priorityOnItself(id);
        return; // priorities are not used
      case RST_STREAM:
        return this.onResetFrame(length, id);
      case SETTINGS:
        return this.onSettingsFrame(buf, p, length, flags, id);
      case PUSH_PROMISE:
        return this.fail(PROTOCOL_ERROR); // a client never pushes
      case PING:
        if (id !== 0) return this.fail(PROTOCOL_ERROR);
        if (length !== 8) return this.fail(FRAME_SIZE_ERROR);
        if ((flags & FLAG_ACK) === 0) this.writePingAck(buf, p);
        return;
      case GOAWAY:
        if (id !== 0) return this.fail(PROTOCOL_ERROR);
        if (length < 8) return this.fail(FRAME_SIZE_ERROR);
        this.peerGoaway = true;
        if (this.streams.size === 0) this.touch();
        return;
      case WINDOW_UPDATE:
        return this.onWindowUpdate(buf, p, length, id);
      case CONTINUATION:
        return this.onContinuation(buf, p, length, flags, id);
      default:
        return; // unknown frame types are ignored (RFC 9113 §4.1)
    }
  }

  private onDataFrame(buf: Buffer, p: number, length: number, flags: number, id: number): void {
    if (id === 0) return this.fail(PROTOCOL_ERROR);
    let start = p;
    let end = p + length;
    if ((flags & FLAG_PADDED) !== 0) {
      if (length === 0 || buf[p]! >= length) return this.fail(PROTOCOL_ERROR);
      end -= buf[p]!;
      start++;
    }
    // The connection window counts every DATA frame, padding included, whatever its stream.
    if (length > this.recvWindow) return this.fail(FLOW_CONTROL_ERROR);
    this.recvWindow -= length;
    this.recvUnacked += length;
    if (this.recvUnacked >= CONNECTION_GRANT_AT) this.grantConnection();
    const stream = this.streams.get(id);
    if (stream === undefined) {
      if (id > this.lastStreamId) return this.fail(PROTOCOL_ERROR); // idle stream
      if (this.recentResets.has(id) || id > this.goawayStreamId) return; // in flight when we reset it, or ignored after our GOAWAY
      if (this.clientResets.has(id)) return this.writeReset(id, STREAM_CLOSED); // after the client's own RST_STREAM
      return this.fail(STREAM_CLOSED);
    }
    if (stream.remoteEnded) return this.resetStream(stream, STREAM_CLOSED, true);
    if (length > stream.recvWindow) return this.resetStream(stream, FLOW_CONTROL_ERROR, true);
    stream.recvWindow -= length;
    const size = end - start;
    const endStream = (flags & FLAG_END_STREAM) !== 0;
    const expected = stream.contentLength;
    if (expected >= 0 && stream.received + size > expected) return this.resetStream(stream, PROTOCOL_ERROR, true); // before the excess reaches anyone
    stream.received += size;
    if (size > 0) stream.owner.onClientData(buf.subarray(start, end));
    else if (!endStream && !this.spendEmpty()) return;
    if (stream.closed) return;
    if (endStream) {
      if (expected >= 0 && stream.received !== expected) return this.resetStream(stream, PROTOCOL_ERROR, true);
      stream.remoteEnded = true;
      stream.owner.onClientEnd();
      if (!stream.closed && stream.localEnded) this.closeStream(stream, true);
      return;
    }
    stream.unacked += length;
    if (stream.unacked >= STREAM_GRANT_AT && !stream.isPaused()) this.grantStream(stream);
  }

  private onHeadersFrame(buf: Buffer, p: number, length: number, flags: number, id: number): void {
    if (id === 0 || (id & 1) === 0) return this.fail(PROTOCOL_ERROR); // client streams are odd
    let start = p;
    let end = p + length;
    if ((flags & FLAG_PADDED) !== 0) {
      if (length === 0) return this.fail(PROTOCOL_ERROR);
      end -= buf[p]!;
      start++;
    }
    let selfDependent = false;
    if ((flags & FLAG_PRIORITY) !== 0) {
      if (end - start < 5) return this.fail(PROTOCOL_ERROR);
      selfDependent = (buf.readUInt32BE(start) & 0x7fffffff) === id; // a stream error (RFC 9113 §5.3.1)
      start += 5; // dependency and weight: not used
    }
    if (start > end) return this.fail(PROTOCOL_ERROR);
    if ((flags & FLAG_END_HEADERS) !== 0) return this.headerBlock(id, (flags & FLAG_END_STREAM) !== 0, buf, start, end, selfDependent);
    this.blockSelfDependent = selfDependent;
    this.blockStream = id;
    this.blockEndStream = (flags & FLAG_END_STREAM) !== 0;
    this.blockLen = 0;
    this.blockFrames = 0;
    this.appendBlock(buf, start, end);
  }

  private onContinuation(buf: Buffer, p: number, length: number, flags: number, id: number): void {
    if (this.blockStream === 0 || id !== this.blockStream) return this.fail(PROTOCOL_ERROR);
    if (++this.blockFrames > MAX_BLOCK_FRAMES) return this.fail(ENHANCE_YOUR_CALM);
    if (length === 0 && (flags & FLAG_END_HEADERS) === 0 && !this.spendEmpty()) return;
    if (!this.appendBlock(buf, p, p + length)) return;
    if ((flags & FLAG_END_HEADERS) === 0) return;
    this.blockStream = 0;
    const block = this.block;
    this.block = EMPTY;
    this.headerBlock(id, this.blockEndStream, block, 0, this.blockLen, this.blockSelfDependent);
  }

  /** Adds a fragment to the header block being collected; false when the block grew past its bound (CONTINUATION flood). */
  private appendBlock(buf: Buffer, start: number, end: number): boolean {
    const n = end - start;
    const len = this.blockLen + n;
    if (len > this.maxBlockBytes) {
      this.fail(ENHANCE_YOUR_CALM);
      return false;
    }
    if (len > this.block.length) {
      const grown = Buffer.allocUnsafe(Math.max(len, 2 * this.block.length, 4096));
      this.block.copy(grown, 0, 0, this.blockLen);
      this.block = grown;
    }
    buf.copy(this.block, this.blockLen, start, end);
    this.blockLen = len;
    return true;
  }

  /** A whole header block: decoded always (the HPACK table stays in step), then a new stream, trailers, or ignored. */
  private headerBlock(id: number, endStream: boolean, buf: Buffer, start: number, end: number, selfDependent: boolean): void {
    const raw: string[] = [];
    const size = this.decoder.decode(buf, start, end, raw, this.maxListEntries);
    if (size < 0) return this.fail(COMPRESSION_ERROR);
    const open = this.streams.get(id);
    if (open !== undefined) return selfDependent ? this.resetStream(open, PROTOCOL_ERROR, true) : this.trailers(open, endStream, raw);
    if (id <= this.lastStreamId) {
      if (this.recentResets.has(id) || id > this.goawayStreamId) return; // trailers in flight on a reset or ignored stream
      if (this.clientResets.has(id)) return this.writeReset(id, STREAM_CLOSED); // after the client's own RST_STREAM
      return this.fail(PROTOCOL_ERROR); // stream ids only increase
    }
    this.lastStreamId = id;
    if (this.goawaySent) return; // after our GOAWAY, new streams are ignored
    if (selfDependent) return this.refuse(id, PROTOCOL_ERROR);
    const limits = this.limits;
    if (this.streams.size >= limits.maxConcurrentStreams) return this.refuse(id, REFUSED_STREAM);
    if (size > limits.maxHeaderListSize || raw.length > 2 * limits.maxHeaderListPairs) return this.refuse(id, ENHANCE_YOUR_CALM);
    const contentLength = checkRequestHead(raw);
    if (contentLength === INVALID_HEAD || (endStream && contentLength > 0)) return this.refuse(id, PROTOCOL_ERROR);
    const stream = new H2Stream(id, this, this.peerInitialWindow);
    stream.contentLength = contentLength;
    if (endStream) stream.endAfterHeaders = stream.remoteEnded = true;
    this.streams.set(id, stream);
    try {
      this.owner.onStream(stream, raw);
    } catch (err) {
      report(err);
      this.resetStream(stream, INTERNAL_ERROR, true); // an owner's bug ends its stream alone
    }
  }

  /** A header block on an open stream: trailers, which end the request (their fields are not used). */
  private trailers(stream: H2Stream, endStream: boolean, raw: string[]): void {
    if (stream.remoteEnded) return this.resetStream(stream, STREAM_CLOSED, true);
    if (!endStream || !checkTrailers(raw)) return this.resetStream(stream, PROTOCOL_ERROR, true);
    if (stream.contentLength >= 0 && stream.received !== stream.contentLength) return this.resetStream(stream, PROTOCOL_ERROR, true);
    stream.remoteEnded = true;
    stream.owner.onClientEnd();
    if (!stream.closed && stream.localEnded) this.closeStream(stream, true);
  }

  private onResetFrame(length: number, id: number): void {
    if (id === 0) return this.fail(PROTOCOL_ERROR);
    if (length !== 4) return this.fail(FRAME_SIZE_ERROR);
    if (id > this.lastStreamId) return this.fail(PROTOCOL_ERROR); // idle stream
    if (!this.spendReset()) return;
    const stream = this.streams.get(id);
    if (stream === undefined) return;
    remember(this.clientResets, id);
    this.closeStream(stream, true);
  }

  /**
   * A stream reset by the client, or by us for the client's error: false once the budget is spent (rapid
   * reset, CVE-2023-44487, and its "made you reset" variant; the connection failed with ENHANCE_YOUR_CALM).
   */
  private spendReset(): boolean {
    return this.resets.spend(Date.now()) || this.calm();
  }

  /** An empty DATA (without END_STREAM) or CONTINUATION frame: false once the budget is spent (the connection failed). */
  private spendEmpty(): boolean {
    return this.emptyFrames.spend(Date.now()) || this.calm();
  }

  /** A budget ran out: the connection fails with ENHANCE_YOUR_CALM; false for the caller to stop. */
  private calm(): false {
    this.fail(ENHANCE_YOUR_CALM);
    return false;
  }

  private onSettingsFrame(buf: Buffer, p: number, length: number, flags: number, id: number): void {
    if (id !== 0) return this.fail(PROTOCOL_ERROR);
    if ((flags & FLAG_ACK) !== 0) {
      if (length !== 0) this.fail(FRAME_SIZE_ERROR);
      return;
    }
    if (length % 6 !== 0) return this.fail(FRAME_SIZE_ERROR);
    let opened = false;
    for (let i = p; i < p + length; i += 6) {
      const value = buf.readUInt32BE(i + 2);
      switch (buf.readUInt16BE(i)) {
        case SETTINGS_HEADER_TABLE_SIZE:
          if (value < 4096) this.tableUpdate = true; // the client's decoder expects a size update (RFC 7541 §4.2)
          break;
        case SETTINGS_ENABLE_PUSH:
          if (value > 1) return this.fail(PROTOCOL_ERROR);
          break;
        case SETTINGS_INITIAL_WINDOW_SIZE: {
          if (value > MAX_WINDOW) return this.fail(FLOW_CONTROL_ERROR);
          const delta = value - this.peerInitialWindow;
          this.peerInitialWindow = value;
          for (const stream of this.streams.values()) {
            stream.sendWindow += delta;
            if (stream.sendWindow > MAX_WINDOW) return this.fail(FLOW_CONTROL_ERROR);
          }
          if (delta > 0) opened = true;
          break;
        }
        case SETTINGS_MAX_FRAME_SIZE:
          if (value < DEFAULT_MAX_FRAME_SIZE || value > MAX_FRAME_SIZE_LIMIT) return this.fail(PROTOCOL_ERROR);
          this.peerMaxFrame = value;
          break;
        // MAX_CONCURRENT_STREAMS: we never push; the rest is advisory.
      }
    }
    this.control(FRAME_HEADER_BYTES);
    writeFrameHeader(this.out, this.reserve(FRAME_HEADER_BYTES), 0, SETTINGS, FLAG_ACK, 0);
    if (opened) for (const stream of this.streams.values()) if (stream.queuedBytes > 0) stream.pump();
  }

  private onWindowUpdate(buf: Buffer, p: number, length: number, id: number): void {
    if (length !== 4) return this.fail(FRAME_SIZE_ERROR);
    const increment = buf.readUInt32BE(p) & 0x7fffffff;
    if (id === 0) {
      if (increment === 0) return this.fail(PROTOCOL_ERROR);
      if (this.sendWindow + increment > MAX_WINDOW) return this.fail(FLOW_CONTROL_ERROR);
      this.sendWindow += increment;
      return this.resumeWaiting();
    }
    const stream = this.streams.get(id);
    if (stream === undefined) {
      if (id > this.lastStreamId) return this.fail(PROTOCOL_ERROR); // idle stream
      return; // closed: may still come
    }
    if (increment === 0) return this.resetStream(stream, PROTOCOL_ERROR, true);
    if (stream.sendWindow + increment > MAX_WINDOW) return this.resetStream(stream, FLOW_CONTROL_ERROR, true);
    stream.sendWindow += increment;
    if (stream.queuedBytes > 0) stream.pump();
  }

  /** Connection error: GOAWAY with `code` written now, every stream closed, the socket ended. */
  private fail(code: number): void {
    if (this.dead) return;
    this.dead = true;
    this.writeGoaway(code);
    this.closeAll();
    this.flush();
    this.endSocket();
  }

  // Streams (StreamHost).

  waitForConnection(stream: H2Stream): void {
    if (stream.waiting) return;
    stream.waiting = true;
    this.waiting.push(stream);
  }

  grantStream(stream: H2Stream): void {
    const n = stream.unacked;
    stream.unacked = 0;
    stream.recvWindow += n;
    this.writeWindowUpdate(stream.id, n);
  }

  resetStream(stream: H2Stream, code: number, notifyNow: boolean): void {
    if (stream.closed) return;
    if (notifyNow && !this.spendReset()) return; // notifyNow: the client's error (the failed connection closed the stream)
    this.writeReset(stream.id, code);
    if (!stream.remoteEnded) this.rememberReset(stream.id);
    this.closeStream(stream, notifyNow);
  }

  closeStream(stream: H2Stream, notifyNow: boolean): void {
    if (stream.closed) return;
    stream.closed = true;
    this.streams.delete(stream.id);
    if (notifyNow) this.notify(stream);
    else {
      this.closedStreams.push(stream);
      this.touch();
    }
    if (this.streams.size === 0 && (this.goawaySent || this.peerGoaway)) this.touch();
  }

  /** A new stream we refuse before any owner sees it. */
  private refuse(id: number, code: number): void {
    if (!this.spendReset()) return;
    this.writeReset(id, code);
    this.rememberReset(id);
  }

  private rememberReset(id: number): void {
    remember(this.recentResets, id);
  }

  /** A PRIORITY frame making a stream depend on itself: a stream error (RFC 9113 §5.3.1). */
  private priorityOnItself(id: number): void {
    const stream = this.streams.get(id);
    if (stream !== undefined) return this.resetStream(stream, PROTOCOL_ERROR, true);
    if (this.spendReset()) this.writeReset(id, PROTOCOL_ERROR);
  }

  /** Tells a stream's owner of its close, once. An owner's exception is rethrown later: the other owners still hear theirs. */
  private notify(stream: H2Stream): void {
    if (stream.notified) return;
    stream.notified = true;
    try {
      stream.owner.onStreamClose();
    } catch (err) {
      report(err);
    }
  }

  /** Closes every open stream and tells each owner now. */
  private closeAll(): void {
    for (const stream of this.streams.values()) stream.closed = true;
    const open = [...this.streams.values()];
    this.streams.clear();
    this.waiting.length = 0;
    for (const stream of open) this.notify(stream);
    this.notifyClosed();
  }

  private notifyClosed(): void {
    const list = this.closedStreams;
    for (let i = 0; i < list.length; i++) this.notify(list[i]!);
    list.length = 0;
  }

  /** The connection window opened or the socket drained: the streams that waited send again. */
  private resumeWaiting(): void {
    const list = this.waiting;
    if (list.length === 0) return;
    this.waiting = [];
    for (let i = 0; i < list.length; i++) {
      const stream = list[i]!;
      stream.waiting = false;
      stream.pump();
    }
  }

  onDrain(): void {
    this.blocked = false;
    this.controlWhileBlocked = 0;
    try {
      this.resumeWaiting();
    } catch (err) {
      report(err); // an owner's onStreamDrain, as inside a frame's handling: the connection ends
      this.fail(INTERNAL_ERROR);
    }
  }

  onSocketClose(): void {
    this.dead = true;
    this.ended = true;
    if (this.lingerTimer !== null) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    try {
      this.closeAll();
    } finally {
      this.owner.onClose();
    }
  }

  // Output.

  writeHeaders(streamId: number, headers: OutgoingHttpHeaders, endStream: boolean): void {
    const encoder = this.encoder;
    const blockLength = encoder.encode(headers);
    const update = this.tableUpdate ? 1 : 0; // one octet: dynamic table size update to 0 (we never index)
    this.tableUpdate = false;
    let left = blockLength + update;
    const max = this.peerMaxFrame;
    const size = (left <= max ? 1 : Math.ceil(left / max)) * FRAME_HEADER_BYTES + left;
    this.control(size);
    let at = this.reserve(size);
    const buf = this.out;
    const block = encoder.buf;
    let from = 0;
    let type = HEADERS;
    for (;;) {
      const n = left > max ? max : left;
      left -= n;
      const last = left === 0;
      writeFrameHeader(buf, at, n, type, (last ? FLAG_END_HEADERS : 0) | (type === HEADERS && endStream ? FLAG_END_STREAM : 0), streamId);
      let p = at + FRAME_HEADER_BYTES;
      let take = n;
      if (update === 1 && type === HEADERS) {
        buf[p++] = 0x20;
        take--;
      }
      block.copy(buf, p, from, from + take);
      at += FRAME_HEADER_BYTES + n;
      from += take;
      if (last) return;
      type = CONTINUATION;
    }
  }

  writeData(streamId: number, data: Buffer, start: number, n: number, flags: number): void {
    const at = this.reserve(FRAME_HEADER_BYTES + n);
    const buf = this.out;
    writeFrameHeader(buf, at, n, DATA, flags, streamId);
    if (n > 0) data.copy(buf, at + FRAME_HEADER_BYTES, start, start + n);
  }

  private writeSettings(): void {
    const limits = this.limits;
    const at = this.reserve(FRAME_HEADER_BYTES + 18);
    const buf = this.out;
    writeFrameHeader(buf, at, 18, SETTINGS, 0, 0);
    buf.writeUInt16BE(SETTINGS_MAX_CONCURRENT_STREAMS, at + 9);
    buf.writeUInt32BE(limits.maxConcurrentStreams, at + 11);
    buf.writeUInt16BE(SETTINGS_ENABLE_PUSH, at + 15);
    buf.writeUInt32BE(0, at + 17);
    buf.writeUInt16BE(SETTINGS_MAX_HEADER_LIST_SIZE, at + 21);
    buf.writeUInt32BE(limits.maxHeaderListSize, at + 23);
  }

  private writeWindowUpdate(streamId: number, increment: number): void {
    const at = this.reserve(FRAME_HEADER_BYTES + 4);
    writeFrameHeader(this.out, at, 4, WINDOW_UPDATE, 0, streamId);
    this.out.writeUInt32BE(increment, at + FRAME_HEADER_BYTES);
  }

  private grantConnection(): void {
    const n = this.recvUnacked;
    this.recvUnacked = 0;
    this.recvWindow += n;
    this.writeWindowUpdate(0, n);
  }

  private writeReset(streamId: number, code: number): void {
    this.control(FRAME_HEADER_BYTES + 4);
    const at = this.reserve(FRAME_HEADER_BYTES + 4);
    writeFrameHeader(this.out, at, 4, RST_STREAM, 0, streamId);
    this.out.writeUInt32BE(code, at + FRAME_HEADER_BYTES);
  }

  private writePingAck(payload: Buffer, p: number): void {
    this.control(FRAME_HEADER_BYTES + 8);
    const at = this.reserve(FRAME_HEADER_BYTES + 8);
    writeFrameHeader(this.out, at, 8, PING, FLAG_ACK, 0);
    payload.copy(this.out, at + FRAME_HEADER_BYTES, p, p + 8);
  }

  private writeGoaway(code: number): void {
    const at = this.reserve(FRAME_HEADER_BYTES + 8);
    const buf = this.out;
    writeFrameHeader(buf, at, 8, GOAWAY, 0, 0);
    buf.writeUInt32BE(this.lastStreamId, at + 9);
    buf.writeUInt32BE(code, at + 13);
  }

  /** Counts output other than DATA queued while the client does not read; past the bound (a SETTINGS, PING or request flood) the connection is cut. */
  private control(n: number): void {
    if (!this.blocked) return;
    this.controlWhileBlocked += n;
    if (this.controlWhileBlocked > MAX_CONTROL_WHILE_BLOCKED && !this.dead) {
      this.dead = true; // no more input; destroyed at the flush, not inside the caller (an owner's respond)
      this.cutOff = true;
      this.touch();
    }
  }

  /** Room for `n` bytes at the end of the output; returns where. Written bytes are never rewritten (a write may hold them). */
  private reserve(n: number): number {
    let end = this.outEnd;
    if (end + n > this.out.length) {
      const pending = end - this.outStart;
      const next = Buffer.allocUnsafe(Math.max(OUT_SLAB, pending + n));
      if (pending > 0) this.out.copy(next, 0, this.outStart, end);
      this.out = next;
      this.outStart = 0;
      end = pending;
    }
    this.outEnd = end + n;
    this.touch();
    return end;
  }

  /** Asks for a flush at the end of this event-loop turn. */
  private touch(): void {
    if (this.isDirty) return;
    this.isDirty = true;
    markDirty(this);
  }

  /** Tells the owners of streams closed since, then writes the output in one socket write. */
  flush(): void {
    this.isDirty = false; // first: whatever throws below, a later touch() schedules this connection again
    if (this.cutOff) {
      this.cutOff = false;
      return this.destroy();
    }
    try {
      this.notifyClosed();
    } finally {
      this.write();
    }
  }

  /** Writes the output in one socket write; ends the socket once nothing is open after a GOAWAY. */
  private write(): void {
    const start = this.outStart;
    const end = this.outEnd;
    this.outStart = end;
    if (this.ended) return;
    if (end > start && !this.socket.write(this.out.subarray(start, end))) this.blocked = true;
    if (this.streams.size === 0 && (this.goawaySent || this.peerGoaway)) this.endSocket();
  }

  /** Ends the socket after what was written (the client closes; a backstop destroys it). */
  private endSocket(): void {
    if (this.ended) return;
    this.ended = true;
    this.socket.end();
    this.lingerTimer = setTimeout(onLinger, LINGER_MS, this.socket);
  }
}
