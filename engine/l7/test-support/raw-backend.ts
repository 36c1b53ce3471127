import net from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A raw TCP test backend that records every byte it receives and parses nothing strictly: the
 * oracle of the smuggling tests. It answers a fixed `200` once per request it can delimit (head up
 * to CRLFCRLF; first Content-Length, or chunked when a Transfer-Encoding mentions it), so a
 * refusal can only come from the engine, and `bytes()` shows exactly what the engine forwarded.
 */
export interface RawBackend {
  port: number;
  /** Every byte received on any connection, in arrival order (latin1); `bytes().slice(n)` = what came after `received` was n. */
  bytes(): string;
  /** Bytes received on each connection, in accept order (latin1). */
  readonly connections: string[];
  /** The request heads it answered (start line through CRLFCRLF). */
  readonly heads: string[];
  /** Total bytes received. */
  readonly received: number;
  close(): Promise<void>;
}

/** The answer to request number `n` (1-based) with head `head`: one string, or pieces written 10 ms apart. */
export type RawAnswer = (head: string, n: number) => string | string[];

/** The default answer: `HTTP/1.1 200 OK` with `Content-Length`, the body `ok <n>`. */
function fixedAnswer(_head: string, n: number): string {
  const body = `ok ${n}`;
  return `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
}

/** Writes `pieces` one after another, 10 ms apart, unless the socket is gone. */
function writePieces(socket: net.Socket, pieces: string[]): void {
  const next = (i: number): void => {
    if (i >= pieces.length || socket.destroyed) return;
    socket.write(pieces[i]!, "latin1");
    setTimeout(next, 10, i + 1);
  };
  next(0);
}

/** Length of one chunked body starting at `at`, or -1 when incomplete or not parseable. */
function chunkedLength(text: string, at: number): number {
  let i = at;
  for (;;) {
    const eol = text.indexOf("\r\n", i);
    if (eol < 0) return -1;
    const size = parseInt(text.slice(i, eol).split(";")[0]!, 16);
    if (Number.isNaN(size)) return -1;
    if (size === 0) {
      const end = text.indexOf("\r\n\r\n", eol);
      return end < 0 ? -1 : end + 4 - at;
    }
    i = eol + 2 + size + 2;
    if (i > text.length) return -1;
  }
}

/** Starts a recording backend on 127.0.0.1 port 0; `respond` makes each answer (default a fixed 200). */
export async function startRawBackend(respond: RawAnswer = fixedAnswer): Promise<RawBackend> {
  const sockets = new Set<net.Socket>();
  const connections: string[] = [];
  const heads: string[] = [];
  let received = 0;
  let log = "";
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    const index = connections.push("") - 1;
    let pending = "";
    socket.on("data", (chunk: Buffer) => {
      const text = chunk.toString("latin1");
      received += chunk.length;
      log += text;
      connections[index] += text;
      pending += text;
      for (;;) {
        const headEnd = pending.indexOf("\r\n\r\n");
        if (headEnd < 0) return;
        const head = pending.slice(0, headEnd + 4);
        let bodyLength = 0;
        if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) {
          bodyLength = chunkedLength(pending, headEnd + 4);
          if (bodyLength < 0) return;
        } else {
          const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
          if (m) bodyLength = Number(m[1]);
          if (pending.length < head.length + bodyLength) return;
        }
        pending = pending.slice(head.length + bodyLength);
        heads.push(head);
        const reply = respond(head, heads.length);
        if (typeof reply === "string") socket.write(reply, "latin1");
        else writePieces(socket, reply);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    bytes: () => log,
    connections,
    heads,
    get received() {
      return received;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
