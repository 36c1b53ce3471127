import tls from "node:tls";

/**
 * A raw HTTP/2 client for tests that must send what a well-behaved client library refuses to (CR/LF
 * in a field value, a body longer than its Content-Length, connection-specific fields): frames are
 * written by hand over TLS (ALPN h2), header blocks as HPACK literals without indexing or Huffman.
 */

/** One frame read back from the server. */
export interface RawFrame {
  type: number;
  flags: number;
  streamId: number;
  payload: Buffer;
}

/** Frame types used by the tests. */
export const FRAME = { DATA: 0, HEADERS: 1, PRIORITY: 2, RST_STREAM: 3, SETTINGS: 4, PUSH_PROMISE: 5, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8, CONTINUATION: 9 } as const;
/** Frame flags used by the tests. */
export const FLAG = { END_STREAM: 1, ACK: 1, END_HEADERS: 4, PADDED: 8, PRIORITY: 0x20 } as const;

/** A frame: 9-byte header (length, type, flags, stream id) and its payload. */
export function frame(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId & 0x7fffffff, 5);
  return Buffer.concat([head, payload]);
}

/** An HPACK header block of literal fields without indexing, new names, no Huffman (RFC 7541 §6.2.2). */
export function headerBlock(fields: [string, string][]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    const n = Buffer.from(name, "latin1");
    const v = Buffer.from(value, "latin1");
    parts.push(Buffer.from([0x00]), hpackInteger(n.length), n, hpackInteger(v.length), v);
  }
  return Buffer.concat(parts);
}

/** A string length as an HPACK integer with a 7-bit prefix (Huffman bit clear). */
function hpackInteger(value: number): Buffer {
  if (value < 0x7f) return Buffer.from([value]);
  const bytes = [0x7f];
  value -= 0x7f;
  while (value >= 0x80) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

/** The client preface and an empty SETTINGS frame. */
export function preface(): Buffer {
  return Buffer.concat([Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1"), frame(FRAME.SETTINGS, 0, 0)]);
}

/** A 4-byte payload (RST_STREAM's error code, WINDOW_UPDATE's increment). */
export function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}

/** The error code of the server's GOAWAY, or null when it sent none. */
export function goawayCode(frames: RawFrame[]): number | null {
  const goaway = frames.find((f) => f.type === FRAME.GOAWAY);
  return goaway === undefined ? null : goaway.payload.readUInt32BE(4);
}

/** The error code of the server's RST_STREAM on `streamId`, or null when it sent none. */
export function resetCode(frames: RawFrame[], streamId: number): number | null {
  const rst = frames.find((f) => f.type === FRAME.RST_STREAM && f.streamId === streamId);
  return rst === undefined ? null : rst.payload.readUInt32BE(0);
}

/**
 * Sends `payload` (after the preface and an empty SETTINGS, unless `withPreface` is false) over TLS with
 * ALPN h2 and collects the server's frames for `waitMs` (or until it closes).
 */
export function rawH2(port: number, payload: Buffer, waitMs = 1000, withPreface = true): Promise<RawFrame[]> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ port, host: "127.0.0.1", ALPNProtocols: ["h2"], rejectUnauthorized: false, servername: "localhost" });
    let input = Buffer.alloc(0);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseFrames(input));
    };
    const timer = setTimeout(finish, waitMs);
    socket.once("secureConnect", () => {
      if (socket.alpnProtocol !== "h2") return reject(new Error(`ALPN chose ${String(socket.alpnProtocol)}`));
      socket.write(withPreface ? Buffer.concat([preface(), payload]) : payload);
    });
    socket.on("data", (chunk: Buffer) => {
      input = Buffer.concat([input, chunk]);
    });
    socket.on("close", finish);
    socket.on("error", finish);
  });
}

/** The whole frames in `buf` (a partial frame at its end is left out). */
export function parseFrames(buf: Buffer): RawFrame[] {
  const frames: RawFrame[] = [];
  let i = 0;
  while (i + 9 <= buf.length) {
    const length = buf.readUIntBE(i, 3);
    if (i + 9 + length > buf.length) break;
    frames.push({ type: buf[i + 3]!, flags: buf[i + 4]!, streamId: buf.readUInt32BE(i + 5) & 0x7fffffff, payload: buf.subarray(i + 9, i + 9 + length) });
    i += 9 + length;
  }
  return frames;
}

/** A raw HTTP/2 connection a test drives step by step: `send` frames, read what came back so far, end it. */
export interface RawSession {
  send(payload: Buffer): void;
  /** The server's frames so far. */
  frames(): RawFrame[];
  /** The server closed the connection. */
  readonly closed: boolean;
  /** Waits `ms`. */
  wait(ms: number): Promise<void>;
  destroy(): void;
  /** The TLS socket (a test may pause its reading). */
  readonly socket: tls.TLSSocket;
}

/** Opens a raw HTTP/2 connection (TLS, ALPN h2) and sends the preface and an empty SETTINGS. */
export function rawSession(port: number): Promise<RawSession> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ port, host: "127.0.0.1", ALPNProtocols: ["h2"], rejectUnauthorized: false, servername: "localhost" });
    let input = Buffer.alloc(0);
    let closed = false;
    socket.on("data", (chunk: Buffer) => {
      input = Buffer.concat([input, chunk]);
    });
    socket.on("close", () => (closed = true));
    socket.on("error", () => {});
    socket.once("secureConnect", () => {
      socket.write(preface());
      resolve({
        send: (payload) => void socket.write(payload),
        frames: () => parseFrames(input),
        get closed() {
          return closed;
        },
        wait: (ms) => new Promise((r) => setTimeout(r, ms)),
        destroy: () => socket.destroy(),
        socket,
      });
    });
    socket.once("error", reject);
  });
}
