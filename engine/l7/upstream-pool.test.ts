import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { UpstreamPool } from "./upstream-pool";
import type { UpstreamOwner } from "./upstream-connection";
import { httpPool, request, startProxy } from "./test-support/http-fixture";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** Raw backend: answers each request with `ok`, but drops the Nth request on a connection without answering. */
async function flakyBackend(dropNth: number): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("error", () => {});
    let n = 0;
    socket.on("data", (chunk) => {
      const requests = chunk.toString("latin1").split("\r\n\r\n").length - 1;
      for (let i = 0; i < requests; i++) {
        if (++n === dropNth) return void socket.destroy(); // as if its keep-alive timeout hit just now
        socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanup.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return { port: (server.address() as net.AddressInfo).port, connections: () => connections };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("backend keep-alive pool", () => {
  it("retries an idempotent request on a fresh connection when a reused one dies before answering", async () => {
    const backend = await flakyBackend(2);
    const proxy = await startProxy(httpPool([{ id: "f", port: backend.port }]));
    cleanup.push(() => proxy.close());
    expect((await request(proxy.port)).body).toBe("ok");
    const second = await request(proxy.port);
    expect(second.status).toBe(200);
    expect(second.body).toBe("ok");
    expect(backend.connections()).toBe(2);
  });

  it("does not resend a POST with a body: 502 instead", async () => {
    const backend = await flakyBackend(2);
    const proxy = await startProxy(httpPool([{ id: "f", port: backend.port }]));
    cleanup.push(() => proxy.close());
    expect((await request(proxy.port, { method: "POST", body: "a" })).status).toBe(200);
    expect((await request(proxy.port, { method: "POST", body: "b" })).status).toBe(502);
  });

  it("drops idle connections the backend closed, and ages out the rest", async () => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.on("error", () => {});
      s.on("data", () => s.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    cleanup.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    });
    const port = (server.address() as net.AddressInfo).port;
    const pool = new UpstreamPool("127.0.0.1", port, { maxIdle: 2, idleTimeoutMs: 100 });
    cleanup.push(async () => pool.close());
    const done: Promise<void>[] = [];
    const conns = [0, 1, 2].map(() => {
      let resolve!: () => void;
      done.push(new Promise<void>((r) => (resolve = r)));
      const owner: UpstreamOwner = {
        onUpstreamConnect() {},
        onUpstreamData: () => resolve(),
        onUpstreamDrain() {},
        onUpstreamEnd() {},
        onUpstreamError() {},
      };
      const conn = pool.acquire(owner);
      conn.socket.write("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
      return conn;
    });
    await Promise.all(done);
    for (const conn of conns) pool.release(conn, true);
    expect(pool.idleCount).toBe(2); // bounded
    [...sockets][0]!.end();
    await wait(50);
    expect(pool.idleCount).toBe(1); // FIN seen while idle
    await wait(120);
    pool.sweep(Date.now());
    expect(pool.idleCount).toBe(0); // aged out
  });
});
