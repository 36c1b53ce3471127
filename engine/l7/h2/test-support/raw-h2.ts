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
export const FRAME = { DATA: 0, HEADERS: 1, RST_STREAM: 3, SETTINGS: 4, GOAWAY: 7 } as const;
/** Frame flags used by the tests. */
export const FLAG = { END_STREAM: 1, END_HEADERS: 4 } as const;

/** A frame: 9-byte header (length, type, flags, stream id) and its payload. */
export function frame(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId & 0x7fffffff, 5);
  return Buffer.concat([head, payload]);
}

/** An HPACK header block of literal fields without indexing, new names, no Huffman (each name and value < 127 bytes). */
export function headerBlock(fields: [string, string][]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    const n = Buffer.from(name, "latin1");
    const v = Buffer.from(value, "latin1");
    if (n.length > 126 || v.length > 126) throw new Error("field too long for this encoder");
    parts.push(Buffer.from([0x00, n.length]), n, Buffer.from([v.length]), v);
  }
  return Buffer.concat(parts);
}

/** The client preface and an empty SETTINGS frame. */
export function preface(): Buffer {
  return Buffer.concat([Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1"), frame(FRAME.SETTINGS, 0, 0)]);
}

/** Sends `payload` (after the preface) over TLS with ALPN h2 and collects the server's frames for `waitMs` (or until it closes). */
export function rawH2(port: number, payload: Buffer, waitMs = 1000): Promise<RawFrame[]> {
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
      socket.write(Buffer.concat([preface(), payload]));
    });
    socket.on("data", (chunk: Buffer) => {
      input = Buffer.concat([input, chunk]);
    });
    socket.on("close", finish);
    socket.on("error", finish);
  });
}

function parseFrames(buf: Buffer): RawFrame[] {
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
