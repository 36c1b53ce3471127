import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { shadow, sleep, swallowDrains } from "../test-support/socket-shadows";
import { TokenBucket } from "../limits/token-bucket";
import { createConnectionContext } from "../observe/connection-context";
import type { ListenerBinding } from "../observe/observer.types";
import { createPoolRuntime } from "../pools/pool-runtime";
import { RecordingObserver } from "../test-support/recording-observer";
import { HttpProxy } from "./http-proxy";
import { httpListener, httpPool } from "./test-support/http-fixture";

/**
 * The HTTP exchange's side of bandwidth shaping (a ShapedWriter on a limited address), at moments
 * that real sockets rarely produce on their own: the client's socket drains while backend bytes are
 * held, the backend's FIN is seen while bytes are held (Node stops reading a paused plain socket at
 * once, but a TLS upstream buffers), and a hold ends while the client's buffer is full (the hold and
 * write backpressure compose: the backend resumes only when neither holds). White-box: the test finds
 * the connection's exchange and drives those events on the real sockets (127.0.0.1, port 0).
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What the test reaches into (private fields of ClientConnection / Exchange / ShapedWriter). */
interface Inside {
  socket: net.Socket;
  context: { bytesOut: number };
  exchange: { upstream: { socket: net.Socket } | null; shaper: { holding: boolean } | null };
}

/** A proxy whose every connection is on a limited address (default 1 Mbit/s: 16 KiB burst, then 125 bytes/ms). */
async function limitedProxy(backendPort: number, observer = new RecordingObserver(), megabitsPerSecond = 1) {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const proxy = new HttpProxy({ listener: httpListener(port), pool: createPoolRuntime(httpPool([{ id: "a", port: backendPort }])) });
  const binding: ListenerBinding = { listenerId: "l", localAddress: "127.0.0.1", localPort: port, bandwidth: new TokenBucket(megabitsPerSecond), observer };
  server.on("connection", (socket) => proxy.handle(socket, createConnectionContext(binding, socket.remoteAddress, socket.remotePort)));
  cleanups.push(async () => {
    await proxy.drain(100);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const connections = (proxy as unknown as { connections: Set<Inside> }).connections;
  /** The one client connection, once its exchange holds backend bytes. */
  const whenHolding = async (): Promise<Inside> => {
    for (let i = 0; i < 1500; i++) {
      for (const conn of connections) if (conn.exchange.shaper?.holding === true && conn.exchange.upstream !== null) return conn;
      await sleep(2);
    }
    throw new Error("never held");
  };
  return { port, whenHolding, observer };
}

/** A raw backend; `respond` writes the response (the socket stays open unless it ends it). */
async function rawBackend(respond: (socket: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.once("data", () => respond(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as AddressInfo).port;
}

/** Sends a GET and collects the raw response until the proxy closes or `bodyBytes` of body arrived (bounded). */
function get(port: number, bodyBytes = Infinity): { done: Promise<Buffer> } {
  const socket = net.connect(port, "127.0.0.1");
  const chunks: Buffer[] = [];
  cleanups.push(() => socket.destroy());
  const done = new Promise<Buffer>((resolve) => {
    const timer = setTimeout(() => (socket.destroy(), resolve(Buffer.concat(chunks))), 8000);
    socket.on("data", (c: Buffer) => {
      chunks.push(c);
      const all = Buffer.concat(chunks);
      const headEnd = all.indexOf("\r\n\r\n");
      if (headEnd >= 0 && all.length - headEnd - 4 >= bodyBytes) socket.destroy();
    });
    socket.on("close", () => (clearTimeout(timer), resolve(Buffer.concat(chunks))));
    socket.on("error", () => {});
  });
  socket.write("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  return { done };
}

describe("HTTP shaping: hold vs the client's drain and the backend's end", () => {
  it("a client drain during a hold leaves the backend paused (the hold resumes it)", async () => {
    const body = Buffer.alloc(120 * 1024, 0x61);
    const backendPort = await rawBackend((s) => s.write(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`), body])));
    const proxy = await limitedProxy(backendPort);
    const { done } = get(proxy.port, body.length);
    const conn = await proxy.whenHolding();
    const upstream = conn.exchange.upstream!.socket;
    expect(upstream.isPaused()).toBe(true);
    conn.socket.emit("drain"); // the client's buffer emptied while the shaper still holds bytes
    expect(conn.exchange.shaper!.holding).toBe(true);
    expect(upstream.isPaused()).toBe(true);
    const raw = await done;
    expect(raw.subarray(raw.indexOf("\r\n\r\n") + 4)).toEqual(body); // and the whole body still arrives
  });

  it("the backend's FIN during a hold of an until-close body delivers the held bytes before closing", async () => {
    const first = Buffer.alloc(1024, 0x61);
    const second = Buffer.alloc(40 * 1024, 0x62); // beyond what is left of the 16 KiB burst: held ≈ 200 ms
    const backendPort = await rawBackend((s) => {
      s.write(Buffer.concat([Buffer.from("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"), first])); // body until close
      setTimeout(() => s.write(second), 100);
    });
    const observer = new RecordingObserver();
    const proxy = await limitedProxy(backendPort, observer);
    const { done } = get(proxy.port);
    const conn = await proxy.whenHolding();
    conn.exchange.upstream!.socket.emit("end"); // FIN seen while the second chunk is held
    const raw = await done;
    expect(raw.subarray(raw.indexOf("\r\n\r\n") + 4)).toEqual(Buffer.concat([first, second])); // not silently truncated
    expect(observer.of("request").map((r) => [r.record.status, r.record.error])).toEqual([[200, null]]);
  });
  it("a hold that ends while the client's buffer is full leaves the backend paused until the client drains", async () => {
    const body = Buffer.alloc(120 * 1024, 0x63);
    const backendPort = await rawBackend((s) => s.write(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`), body])));
    const proxy = await limitedProxy(backendPort);
    const { done } = get(proxy.port, body.length);
    const conn = await proxy.whenHolding();
    const upstream = conn.exchange.upstream!.socket;
    // From now on the client's buffer stays full (as a stalled client's would): Node holds bytes for it
    // (so no write goes out directly, io/direct-write.ts), writes need a drain, and the drain does not
    // come until the test lets it.
    const undoNeedDrain = shadow(conn.socket, "writableNeedDrain", { get: () => true });
    const undoHeld = shadow(conn.socket, "writableLength", { get: () => 1 });
    const undoDrains = swallowDrains(conn.socket);
    for (let i = 0; i < 1500 && conn.exchange.shaper!.holding; i++) await sleep(2);
    expect(conn.exchange.shaper!.holding).toBe(false); // the hold ended: its bytes went to the client
    const sent = conn.context.bytesOut;
    await sleep(100);
    // ...but the backend waits for the drain: nothing more was read (no new hold, no byte relayed)
    expect([upstream.isPaused(), conn.exchange.shaper!.holding, conn.context.bytesOut]).toEqual([true, false, sent]);
    undoNeedDrain();
    undoHeld();
    undoDrains();
    conn.socket.emit("drain");
    const raw = await done;
    expect(raw.subarray(raw.indexOf("\r\n\r\n") + 4)).toEqual(body);
  });
});
