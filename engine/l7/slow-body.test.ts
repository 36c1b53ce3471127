import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { httpPool, rawExchange, request, startBackend, startProxy } from "./test-support/http-fixture";
import type { HttpProxyOptions } from "./proxy-options";

/** Issue 7 item 11.4: slow clients must not pin backend connections; bodies are bounded in size. */

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(options: HttpProxyOptions = {}) {
  const backend = await startBackend("b");
  cleanup.push(() => backend.close());
  let open = 0;
  backend.server.on("connection", (s: net.Socket) => (open++, s.on("close", () => open--)));
  const proxy = await startProxy(httpPool([{ id: "b", port: backend.port }]), options);
  cleanup.push(() => proxy.close());
  return { proxy, backend, openBackendConnections: () => open };
}

describe("HTTP proxy: request body size and rate", () => {
  it("answers 413 to a Content-Length over maxBodyBytes without connecting to a backend", async () => {
    const { proxy, backend } = await setup();
    const res = await rawExchange(proxy.port, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 999999999999999\r\n\r\nabc", 2000);
    expect(res.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(res.text).toContain("Server: elb");
    expect(backend.connections).toBe(0);
    expect(backend.seen).toHaveLength(0);
  });

  it("cuts a chunked body growing past maxBodyBytes with 413", async () => {
    const { proxy } = await setup({ maxBodyBytes: 1000 });
    const chunk = "x".repeat(600);
    const payload = `POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n${chunk}\r\n258\r\n${chunk}\r\n0\r\n\r\n`;
    expect((await rawExchange(proxy.port, payload, 2000)).text).toMatch(/^HTTP\/1\.1 413 /);
    expect((await request(proxy.port, { method: "POST", body: "y".repeat(900), agent: false })).status).toBe(200);
  });

  it("ends a trickling upload (below minBodyBytesPerSecond) with 408 and frees its backend connection", async () => {
    const { proxy, openBackendConnections } = await setup({ minBodyBytesPerSecond: 100, bodyRateWindowMs: 500 });
    const socket = net.connect(proxy.port, "127.0.0.1");
    cleanup.push(async () => void socket.destroy());
    let text = "";
    socket.on("data", (c: Buffer) => (text += c.toString("latin1")));
    socket.on("error", () => {});
    socket.write("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n\r\n");
    const started = Date.now();
    const trickle = setInterval(() => socket.writable && socket.write("x"), 100); // 10 B/s
    cleanup.push(async () => clearInterval(trickle));
    while (!text.includes("\r\n\r\n") && Date.now() - started < 4000) await new Promise((r) => setTimeout(r, 20));
    clearInterval(trickle);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeLessThan(2000);
    const freed = Date.now();
    while (openBackendConnections() > 0 && Date.now() - freed < 1000) await new Promise((r) => setTimeout(r, 20));
    expect(openBackendConnections()).toBe(0);
  });

  it("lets a body that arrives at a healthy rate through", async () => {
    const { proxy } = await setup({ minBodyBytesPerSecond: 100, bodyRateWindowMs: 200 });
    const socket = net.connect(proxy.port, "127.0.0.1");
    cleanup.push(async () => void socket.destroy());
    let text = "";
    socket.on("data", (c: Buffer) => (text += c.toString("latin1")));
    socket.write("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 300\r\n\r\n");
    for (let i = 0; i < 6; i++) {
      socket.write("x".repeat(50)); // 500 B/s over 600 ms: several windows
      await new Promise((r) => setTimeout(r, 100));
    }
    const started = Date.now();
    while (!text.includes("\r\n\r\nb") && Date.now() - started < 2000) await new Promise((r) => setTimeout(r, 20));
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
  });
});
