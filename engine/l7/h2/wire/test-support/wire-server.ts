import type { AddressInfo } from "node:net";
import tls from "node:tls";
import { H2Connection, type H2ConnectionOwner, type H2Limits } from "../h2-connection";
import type { H2Stream, H2StreamOwner } from "../h2-stream";

/**
 * A bare HTTP/2 server for the wire layer's tests: a `tls.Server` on 127.0.0.1 offering ALPN h2 hands each
 * secured socket to an `H2Connection`; every stream becomes a `TestExchange` that records what arrives and
 * is answered by the test's `onStream`. Counts the socket writes (the output batching).
 */

/** The handler's limits, as the engine sets them. */
export const TEST_LIMITS: H2Limits = { maxConcurrentStreams: 128, maxHeaderListSize: 32 * 1024, maxHeaderListPairs: 104 };

/** One stream as a test sees it: its head, the body received, its close; optional hooks. */
export class TestExchange implements H2StreamOwner {
  readonly chunks: Buffer[] = [];
  bytes = 0;
  ended = false;
  closed = false;
  drains = 0;
  onData: ((chunk: Buffer) => void) | null = null;
  onEnd: (() => void) | null = null;
  onDrain: (() => void) | null = null;
  onClose: (() => void) | null = null;

  constructor(
    readonly stream: H2Stream,
    readonly raw: string[],
  ) {
    stream.owner = this;
  }

  /** A field of the head ("" when absent). */
  field(name: string): string {
    for (let i = 0; i < this.raw.length; i += 2) if (this.raw[i] === name) return this.raw[i + 1]!;
    return "";
  }

  get body(): Buffer {
    return Buffer.concat(this.chunks);
  }

  onClientData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    this.onData?.(chunk);
  }

  onClientEnd(): void {
    this.ended = true;
    this.onEnd?.();
  }

  onStreamDrain(): void {
    this.drains++;
    this.onDrain?.();
  }

  onStreamClose(): void {
    if (this.closed) throw new Error("onStreamClose twice");
    this.closed = true;
    this.onClose?.();
  }

  /** Answers 200 with `body` (one write). */
  answer(body: string | Buffer, headers: Record<string, string> = {}): void {
    this.stream.respond({ ":status": 200, ...headers }, false);
    this.stream.end(body);
  }

  /** Answers 200 with `body`, written in `step`-byte pieces with backpressure (waits for onStreamDrain after a false). */
  sendBody(body: Buffer, step = 64 * 1024): void {
    this.stream.respond({ ":status": 200, "content-length": String(body.length) }, false);
    let at = 0;
    const pump = (): void => {
      while (at < body.length) {
        const piece = body.subarray(at, at + step);
        at += piece.length;
        if (at >= body.length) return this.stream.end(piece);
        if (!this.stream.write(piece)) return;
      }
    };
    this.onDrain = pump;
    pump();
  }
}

/** A running wire server. */
export interface WireServer {
  readonly port: number;
  readonly connections: H2Connection[];
  readonly exchanges: TestExchange[];
  /** Connections whose socket closed (their owner heard onClose). */
  closedConnections: number;
  /** socket.write calls made by the connections. */
  writes: number;
  close(): Promise<void>;
}

/** Starts a wire server whose streams are answered by `onStream`. */
export async function startWireServer(
  cert: { keyPem: string; chainPem: string },
  onStream: (x: TestExchange) => void,
  limits: H2Limits = TEST_LIMITS,
): Promise<WireServer> {
  const server = tls.createServer({ key: cert.keyPem, cert: cert.chainPem, ALPNProtocols: ["h2"] });
  const state: WireServer = {
    port: 0,
    connections: [],
    exchanges: [],
    closedConnections: 0,
    writes: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of state.connections) c.destroy();
        server.close(() => resolve());
      }),
  };
  server.on("secureConnection", (socket: tls.TLSSocket) => {
    const write = socket.write.bind(socket) as (data: Buffer) => boolean;
    (socket as unknown as { write: (data: Buffer) => boolean }).write = (data: Buffer) => {
      state.writes++;
      return write(data);
    };
    const owner: H2ConnectionOwner = {
      onStream(stream, raw) {
        const x = new TestExchange(stream, raw);
        state.exchanges.push(x);
        onStream(x);
      },
      onClose() {
        state.closedConnections++;
      },
    };
    state.connections.push(new H2Connection(socket, owner, limits));
  });
  server.on("tlsClientError", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  (state as { port: number }).port = (server.address() as AddressInfo).port;
  return state;
}
