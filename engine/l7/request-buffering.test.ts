import { createHash } from "node:crypto";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { httpPool, rawExchange, startBackend, startProxy } from "./test-support/http-fixture";
import type { HttpProxyOptions } from "./proxy-options";

/**
 * Issue "hardening" 11.4: a small Content-Length body (≤ bufferBodyBytes, 16 KiB) is read whole
 * before a backend connection is taken (nginx proxy_request_buffering), so slow clients sending
 * small bodies hold no backend connection. Oracle: a node:http backend counting its 'connection' events.
 */

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A backend answering each request with the sha256 and length of the body it received, and the Expect it saw. */
async function setup(options: HttpProxyOptions = {}) {
  const backend = await startBackend("b", (req, res) => {
    const hash = createHash("sha256");
    let n = 0;
    req.on("data", (c: Buffer) => (hash.update(c), (n += c.length)));
    req.on("end", () => res.end(`${n} ${hash.digest("hex")} expect=${req.headers.expect ?? "-"}`));
  });
  cleanup.push(() => backend.close());
  const proxy = await startProxy(httpPool([{ id: "b", port: backend.port }]), options);
  cleanup.push(() => proxy.close());
  return { proxy, backend };
}

/** A raw client socket collecting what the proxy sends back. */
function client(port: number) {
  const socket = net.connect(port, "127.0.0.1");
  cleanup.push(async () => void socket.destroy());
  const state = { socket, text: "", closed: false };
  socket.on("data", (c: Buffer) => (state.text += c.toString("latin1")));
  socket.on("close", () => (state.closed = true));
  socket.on("error", () => {});
  return state;
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const started = Date.now();
  while (!cond() && Date.now() - started < ms) await sleep(10);
}

function body(i: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let k = 0; k < size; k++) b[k] = (k * 7 + i * 13) & 0xff;
  return b;
}

const digest = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("request buffering of small bodies", () => {
  it("50 slow clients sending 1 KiB bodies open no backend connection until their bodies are complete", async () => {
    const { proxy, backend } = await setup();
    const N = 50;
    const SIZE = 1024;
    const PIECE = 32; // 32 pieces, one every 50 ms: ~1.6 s per body, 640 B/s (above the 256 B/s minimum rate)
    const clients = Array.from({ length: N }, () => client(proxy.port));
    await until(() => proxy.handler.connectionCount === N, 2000);
    const bodies = clients.map((_, i) => body(i, SIZE));
    clients.forEach((c) => c.socket.write(`POST /u HTTP/1.1\r\nHost: h\r\nContent-Length: ${SIZE}\r\n\r\n`, "latin1"));
    let maxSeenWhileSending = 0;
    for (let at = 0; at < SIZE - PIECE; at += PIECE) {
      clients.forEach((c, i) => c.socket.write(bodies[i]!.subarray(at, at + PIECE)));
      await sleep(50);
      maxSeenWhileSending = Math.max(maxSeenWhileSending, backend.connections);
    }
    await sleep(100);
    maxSeenWhileSending = Math.max(maxSeenWhileSending, backend.connections);
    expect(maxSeenWhileSending).toBe(0); // every body is missing its last piece: no backend connection yet
    expect(backend.seen).toHaveLength(0);
    clients.forEach((c, i) => c.socket.write(bodies[i]!.subarray(SIZE - PIECE)));
    await until(() => clients.every((c) => c.text.includes("expect=")), 5000);
    clients.forEach((c, i) => {
      expect(c.text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(c.text.endsWith(`${SIZE} ${digest(bodies[i]!)} expect=-`)).toBe(true); // the exact bytes, once
    });
    expect(backend.seen).toHaveLength(N);
    expect(backend.connections).toBeGreaterThan(0);
    expect(backend.connections).toBeLessThanOrEqual(N);
  }, 15_000);

  it("still answers 408 to a body trickled below the minimum rate, without ever connecting", async () => {
    const { proxy, backend } = await setup({ minBodyBytesPerSecond: 100, bodyRateWindowMs: 500 });
    const c = client(proxy.port);
    c.socket.write("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n\r\n");
    const trickle = setInterval(() => c.socket.writable && c.socket.write("x"), 100); // 10 B/s
    cleanup.push(async () => clearInterval(trickle));
    const started = Date.now();
    await until(() => c.text.includes("\r\n\r\n"), 4000);
    clearInterval(trickle);
    expect(c.text).toMatch(/^HTTP\/1\.1 408 /);
    expect(c.text).toContain("\r\nServer: elb\r\n");
    expect(Date.now() - started).toBeLessThan(2000);
    expect(backend.connections).toBe(0);
  });

  it("answers Expect: 100-continue itself and does not forward the Expect", async () => {
    const { proxy, backend } = await setup();
    const c = client(proxy.port);
    c.socket.write("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    await until(() => c.text.length > 0, 2000);
    expect(c.text).toBe("HTTP/1.1 100 Continue\r\n\r\n");
    expect(backend.connections).toBe(0);
    c.socket.write("hello");
    await until(() => c.text.includes("expect="), 2000);
    expect(c.text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
    expect(c.text.endsWith(`5 ${digest(Buffer.from("hello"))} expect=-`)).toBe(true);
    expect(c.text.match(/100 Continue/g)).toHaveLength(1);
  });

  it("a body sent with its head reaches the backend in the same request, pipelined requests follow", async () => {
    const { proxy, backend } = await setup();
    const post = (b: string) => `POST / HTTP/1.1\r\nHost: h\r\nContent-Length: ${b.length}\r\n\r\n${b}`;
    const { text } = await rawExchange(proxy.port, post("one") + post("three") + "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    expect(text.match(/HTTP\/1\.1 200 OK\r\n/g)).toHaveLength(3);
    expect(text).toContain(`3 ${digest(Buffer.from("one"))} expect=-`);
    expect(text).toContain(`5 ${digest(Buffer.from("three"))} expect=-`);
    expect(backend.connections).toBe(1);
  });

  it("streams chunked bodies and bodies above bufferBodyBytes as they arrive (the backend connects at once)", async () => {
    const { proxy, backend } = await setup({ bufferBodyBytes: 1024 });
    const chunked = client(proxy.port);
    chunked.socket.write("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
    await until(() => backend.seen.length === 1, 2000);
    expect(backend.connections).toBe(1);
    const large = client(proxy.port);
    large.socket.write("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1025\r\n\r\nxyz");
    await until(() => backend.seen.length === 2, 2000);
    expect(backend.connections).toBe(2);
    chunked.socket.write("0\r\n\r\n");
    large.socket.write("x".repeat(1022));
    await until(() => chunked.text.includes("expect=") && large.text.includes("expect="), 2000);
    expect(chunked.text.endsWith(`3 ${digest(Buffer.from("abc"))} expect=-`)).toBe(true);
    expect(large.text).toMatch(/\r\n1025 [0-9a-f]{64} expect=-$/);
  });

  it("sends a buffered body again to the next member when the first refuses the connection", async () => {
    const { backend } = await setup();
    const dead = net.createServer();
    await new Promise<void>((r) => dead.listen(0, "127.0.0.1", r));
    const deadPort = (dead.address() as net.AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r())); // nothing listens there: connect refused
    const proxy = await startProxy(httpPool([{ id: "dead", port: deadPort }, { id: "b", port: backend.port }]));
    cleanup.push(() => proxy.close());
    const { text } = await rawExchange(proxy.port, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/); // round robin tried "dead" first; a streamed body would make this a 502
    expect(text.endsWith(`5 ${digest(Buffer.from("hello"))} expect=-`)).toBe(true);
  });

  it("bufferBodyBytes 0 turns buffering off", async () => {
    const { proxy, backend } = await setup({ bufferBodyBytes: 0 });
    const c = client(proxy.port);
    c.socket.write("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nab");
    await until(() => backend.seen.length === 1, 2000);
    expect(backend.connections).toBe(1);
  });
});
