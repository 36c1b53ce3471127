import { execFile } from "node:child_process";
import net from "node:net";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createPoolRuntime } from "../pools/pool-runtime";
import { httpListener, httpPool, rawExchange, request, startBackend, startProxy } from "./test-support/http-fixture";

const run = promisify(execFile);
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe("HTTP proxy: lifecycle", () => {
  it("counts in-flight requests against the member (WLC) and releases them", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = await startBackend("a", (req, res) => {
      req.resume();
      void gate.then(() => res.end("done"));
    });
    cleanup.push(() => a.close());
    const proxy = await startProxy(httpPool([{ id: "a", port: a.port }], { algorithm: "LEAST_CONNECTIONS" }));
    cleanup.push(() => proxy.close());
    const member = proxy.pool!.byId("a")!;
    const pending = [request(proxy.port), request(proxy.port), request(proxy.port)];
    while (a.seen.length < 3) await new Promise((r) => setTimeout(r, 10));
    expect(member.activeConnections).toBe(3);
    release();
    await Promise.all(pending);
    expect(member.activeConnections).toBe(0);
  });

  it("a client that disconnects mid-response releases its member and the backend connection", async () => {
    let backendSocketClosed = false;
    const a = await startBackend("a", (req, res) => {
      req.resume();
      req.socket.once("close", () => (backendSocketClosed = true));
      res.writeHead(200, { "Content-Type": "application/octet-stream" });
      const chunk = Buffer.alloc(64 * 1024, 1);
      const pump = () => {
        while (res.write(chunk));
        res.once("drain", pump);
      };
      pump();
    });
    cleanup.push(() => a.close());
    const proxy = await startProxy(httpPool([{ id: "a", port: a.port }]));
    cleanup.push(() => proxy.close());
    const member = proxy.pool!.byId("a")!;
    const socket = net.connect(proxy.port, "127.0.0.1");
    socket.write("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n");
    let received = 0;
    await new Promise<void>((resolve) =>
      socket.on("data", (d) => {
        received += d.length;
        if (received > 1024 * 1024) {
          socket.destroy();
          resolve();
        }
      }),
    );
    while (!backendSocketClosed || member.activeConnections !== 0) await new Promise((r) => setTimeout(r, 10));
    expect(member.activeConnections).toBe(0);
  });

  it("a backend that dies mid-body makes the proxy close the client connection (no silent truncation)", async () => {
    const a = await startBackend("a", (req, res) => {
      req.resume();
      res.writeHead(200, { "Content-Length": "1000" });
      res.write("x".repeat(100));
      setTimeout(() => req.socket.destroy(), 50);
    });
    cleanup.push(() => a.close());
    const proxy = await startProxy(httpPool([{ id: "a", port: a.port }]));
    cleanup.push(() => proxy.close());
    const { text, closed } = await rawExchange(proxy.port, "GET / HTTP/1.1\r\nHost: h\r\n\r\n", 3000);
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(text).toContain("Content-Length: 1000");
    expect(closed).toBe(true);
  });

  it("update(): new requests follow the new route, even on an open keep-alive connection", async () => {
    const a = await startBackend("a");
    const b = await startBackend("b");
    cleanup.push(() => a.close(), () => b.close());
    const proxy = await startProxy(httpPool([{ id: "a", port: a.port }]));
    cleanup.push(() => proxy.close());
    const socket = net.connect(proxy.port, "127.0.0.1");
    cleanup.push(async () => void socket.destroy());
    const ask = () =>
      new Promise<string>((resolve) => {
        socket.once("data", (d) => resolve(d.toString()));
        socket.write("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
      });
    expect(await ask()).toMatch(/a$/);
    proxy.handler.update({ listener: httpListener(proxy.port), pool: createPoolRuntime(httpPool([{ id: "b", port: b.port }])) });
    expect(await ask()).toMatch(/b$/);
  });

  it("drain(): idle keep-alive connections close now, an in-flight request finishes with Connection: close, a new connection's first request is answered", async () => {
    const a = await startBackend("a", (req, res) => {
      req.resume();
      if (req.url === "/slow") setTimeout(() => res.end("slow"), 150);
      else res.end("quick");
    });
    cleanup.push(() => a.close());
    const proxy = await startProxy(httpPool([{ id: "a", port: a.port }]));
    // Idle: served one request, kept alive, waiting for the next.
    const idle = net.connect(proxy.port, "127.0.0.1");
    idle.on("error", () => {});
    let idleText = "";
    idle.on("data", (chunk: Buffer) => (idleText += chunk.toString("latin1")));
    const idleClosed = new Promise<void>((r) => idle.once("close", () => r()));
    idle.write("GET /quick HTTP/1.1\r\nHost: h\r\n\r\n");
    while (!idleText.endsWith("quick")) await new Promise((r) => setTimeout(r, 5));
    // Fresh: connected (accepted just before the drain), its first request not sent yet.
    const fresh = net.connect(proxy.port, "127.0.0.1");
    fresh.on("error", () => {});
    let freshText = "";
    fresh.on("data", (chunk: Buffer) => (freshText += chunk.toString("latin1")));
    const freshClosed = new Promise<void>((r) => fresh.once("close", () => r()));
    await new Promise((r) => fresh.once("connect", r));
    while (proxy.handler.connectionCount < 2) await new Promise((r) => setTimeout(r, 5));
    const busy = rawExchange(proxy.port, "GET /slow HTTP/1.1\r\nHost: h\r\n\r\n", 3000);
    while (a.seen.length < 2) await new Promise((r) => setTimeout(r, 5));
    const drained = proxy.handler.drain(2000);
    await idleClosed;
    fresh.write("GET /quick HTTP/1.1\r\nHost: h\r\n\r\n");
    await freshClosed;
    expect(freshText).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*Connection: close\r\n[\s\S]*quick$/);
    const { text, closed } = await busy;
    await drained;
    expect(text).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*Connection: close\r\n[\s\S]*slow$/);
    expect(closed).toBe(true);
    expect(proxy.handler.connectionCount).toBe(0);
  });

  it("a stalled request body is cut off with 408 at the body timeout", async () => {
    const a = await startBackend("a");
    cleanup.push(() => a.close());
    const proxy = await startProxy(httpPool([{ id: "a", port: a.port }]), { bodyTimeoutMs: 300 });
    cleanup.push(() => proxy.close());
    const { text, closed } = await rawExchange(proxy.port, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc", 3000);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(closed).toBe(true);
  });

  it("interoperates with curl: GET, chunked upload, HTTP/1.0", async () => {
    const a = await startBackend("a", (req, res) => {
      let n = 0;
      req.on("data", (c: Buffer) => (n += c.length));
      req.on("end", () => res.end(`${req.method} ${n} ${req.headers["transfer-encoding"] ?? "-"} ${req.headers["x-forwarded-for"]}`));
    });
    cleanup.push(() => a.close());
    const proxy = await startProxy(httpPool([{ id: "a", port: a.port }]));
    cleanup.push(() => proxy.close());
    const url = `http://127.0.0.1:${proxy.port}/`;
    const get = await run("curl", ["-sS", "--max-time", "5", url]);
    expect(get.stdout).toBe("GET 0 - 127.0.0.1");
    const upload = await run("sh", ["-c", `head -c 300000 /dev/zero | curl -sS --max-time 5 -H 'Transfer-Encoding: chunked' --data-binary @- ${url}`]);
    expect(upload.stdout).toBe("POST 300000 chunked 127.0.0.1");
    const old = await run("curl", ["-sS", "--max-time", "5", "-0", "-i", url]);
    expect(old.stdout).toMatch(/^HTTP\/1\.1 200/);
    expect(old.stdout).toMatch(/GET 0 - 127\.0\.0\.1$/);
  });
});
