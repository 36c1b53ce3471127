import { EventEmitter } from "node:events";
import type net from "node:net";
import { HpackDecoder } from "../../hpack/hpack-decoder";
import { FRAME, frame, headerBlock, parseFrames, type RawFrame } from "../../test-support/raw-h2";
import { H2Connection, type H2Limits } from "../h2-connection";
import { TEST_LIMITS, TestExchange } from "./wire-server";

/**
 * An in-memory peer for conformance tests of `H2Connection`: the connection sits on a `MemorySocket`
 * (no TLS, no kernel), so the test decides exactly how the client's bytes are cut into chunks (one
 * byte per `data` event if it likes), what `socket.write` answers (a client that never reads), and
 * sees every byte the server wrote. Streams become `TestExchange`s, answered by the test's `onStream`.
 */

/** The socket an `H2Connection` is given: records writes, answers `writeAnswer`, `close` follows `destroy`. */
export class MemorySocket extends EventEmitter {
  /** Copies of every buffer written, in order. */
  readonly output: Buffer[] = [];
  /** Bytes written so far. */
  written = 0;
  /** What `write` answers: false plays a client whose receive buffer is full. */
  writeAnswer = true;
  /** `end()` was called (our FIN). */
  endCalled = false;
  /** `destroy()` was called. */
  destroyed = false;

  /** Records `data`; answers `writeAnswer`. */
  write(data: Buffer): boolean {
    this.output.push(Buffer.from(data));
    this.written += data.length;
    return this.writeAnswer;
  }

  /** Records our FIN. */
  end(): this {
    this.endCalled = true;
    return this;
  }

  /** Emits `close` on the next tick (once). */
  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    process.nextTick(() => this.emit("close"));
    return this;
  }
}

/** A GOAWAY the server sent: its last stream id and error code. */
export interface Goaway {
  readonly lastStreamId: number;
  readonly code: number;
}

/** One fieldset per request: `[name, value]` pairs (HPACK literals without indexing, as raw-h2 writes them). */
export type Fields = [string, string][];

/** A GET (or `method`) request for `path` on https://localhost, with `extra` fields after the pseudo-headers. */
export function request(path = "/", extra: Fields = [], method = "GET"): Fields {
  return [[":method", method], [":scheme", "https"], [":authority", "localhost"], [":path", path], ...extra];
}

/** A peer holding one `H2Connection` on a `MemorySocket`. */
export class ConformanceClient {
  readonly socket = new MemorySocket();
  readonly connection: H2Connection;
  /** Every stream the connection handed its owner, in order. */
  readonly exchanges: TestExchange[] = [];
  /** The connection's owner heard `onClose`. */
  ownerClosed = false;
  private readonly decoder = new HpackDecoder();

  constructor(onStream: (x: TestExchange) => void, limits: H2Limits = TEST_LIMITS) {
    this.connection = new H2Connection(this.socket as unknown as net.Socket, {
      onStream: (stream, raw) => {
        const x = new TestExchange(stream, raw);
        this.exchanges.push(x);
        onStream(x);
      },
      onClose: () => {
        this.ownerClosed = true;
      },
    }, limits);
  }

  /** The client preface and an empty SETTINGS. */
  static preface(): Buffer {
    return Buffer.concat([Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1"), frame(FRAME.SETTINGS, 0, 0)]);
  }

  /** Hands `bytes` to the connection as one chunk. */
  send(...bytes: Buffer[]): void {
    this.socket.emit("data", Buffer.concat(bytes));
  }

  /** Hands `bytes` to the connection in chunks of `size` bytes (1: byte by byte). */
  sendInChunks(bytes: Buffer, size: number): void {
    for (let i = 0; i < bytes.length; i += size) this.socket.emit("data", Buffer.from(bytes.subarray(i, i + size)));
  }

  /** Lets the event loop turn until the connection flushed what this turn produced. */
  async turn(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Every frame the server wrote so far. */
  frames(): RawFrame[] {
    return parseFrames(Buffer.concat(this.socket.output));
  }

  /** The server's GOAWAY, or null. */
  goaway(): Goaway | null {
    const f = this.frames().find((x) => x.type === FRAME.GOAWAY);
    return f === undefined ? null : { lastStreamId: f.payload.readUInt32BE(0) & 0x7fffffff, code: f.payload.readUInt32BE(4) };
  }

  /** The error code of the server's RST_STREAM on `id`, or null. */
  resetCode(id: number): number | null {
    const f = this.frames().find((x) => x.type === FRAME.RST_STREAM && x.streamId === id);
    return f === undefined ? null : f.payload.readUInt32BE(0);
  }

  /** The decoded fields of every header block the server sent on `id` (HEADERS + CONTINUATION joined), in order. */
  headerBlocks(id: number): string[][] {
    const blocks: string[][] = [];
    let pending: Buffer[] | null = null;
    for (const f of this.frames()) {
      if (f.streamId !== id || (f.type !== FRAME.HEADERS && f.type !== FRAME.CONTINUATION)) continue;
      if (f.type === FRAME.HEADERS) pending = [];
      pending!.push(f.payload);
      if ((f.flags & 0x4) !== 0) {
        const block = Buffer.concat(pending!);
        const raw: string[] = [];
        if (this.decoder.decode(block, 0, block.length, raw) < 0) throw new Error(`server header block on stream ${id} does not decode`);
        blocks.push(raw);
        pending = null;
      }
    }
    return blocks;
  }

  /** The `:status` of the response on `id` (0: none). */
  status(id: number): number {
    const block = this.headerBlocks(id).find((raw) => raw[0] === ":status" && !raw[1]!.startsWith("1"));
    return block === undefined ? 0 : Number(block[1]);
  }

  /** The DATA payload the server sent on `id`, and whether one of its frames carried END_STREAM. */
  body(id: number): { text: string; ended: boolean } {
    const data = this.frames().filter((f) => f.type === FRAME.DATA && f.streamId === id);
    return { text: Buffer.concat(data.map((f) => f.payload)).toString("latin1"), ended: data.some((f) => (f.flags & 0x1) !== 0) };
  }

  /** Ends the connection (and its linger timer) at the end of a test. */
  async close(): Promise<void> {
    this.connection.destroy();
    await new Promise<void>((resolve) => process.nextTick(resolve));
  }
}

/** A HEADERS frame carrying `fields` whole (END_HEADERS, plus END_STREAM unless `endStream` is false). */
export function headersFrame(id: number, fields: Fields, endStream = true): Buffer {
  return frame(FRAME.HEADERS, 0x4 | (endStream ? 0x1 : 0), id, headerBlock(fields));
}

/** A DATA frame. */
export function dataFrame(id: number, payload: Buffer | string, endStream = false): Buffer {
  return frame(FRAME.DATA, endStream ? 0x1 : 0, id, typeof payload === "string" ? Buffer.from(payload, "latin1") : payload);
}

/**
 * Runs `body` with the process's uncaughtException listeners (vitest's among them) replaced by one that
 * collects what is thrown into `caught` — the way the engine's own listener (main.ts, worker-thread.ts)
 * logs an owner's exception the connection reported — and puts the listeners back after.
 */
export async function collectingUncaught(body: (caught: unknown[]) => Promise<void>): Promise<void> {
  const caught: unknown[] = [];
  const listeners = process.listeners("uncaughtException");
  process.removeAllListeners("uncaughtException");
  process.on("uncaughtException", (err) => caught.push(err));
  try {
    await body(caught);
  } finally {
    process.removeAllListeners("uncaughtException");
    for (const l of listeners) process.on("uncaughtException", l);
  }
}
