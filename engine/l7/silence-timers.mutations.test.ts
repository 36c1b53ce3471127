import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { coarseClock } from "../io/coarse-clock";
import { ConnectionTimer } from "./connection-timer";
import { isClosing, measuresSilence, type ClientState, type TimerKind } from "./connection-state";
import { httpPool, rawExchange, request, startBackend, startProxy } from "./test-support/http-fixture";

/**
 * Which deadlines measure silence (body, stream, tunnel: any progress pushes them) and which run
 * from a fixed start (head, idle, connect, response, linger), unit by unit and end to end: a slow
 * but steady request body, response body or tunnel outlives its timeout; only silence ends it.
 */
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("connection-state helpers", () => {
  it("measuresSilence: body, stream and tunnel only", () => {
    const kinds: TimerKind[] = ["none", "head", "idle", "body", "connect", "response", "stream", "tunnel", "linger"];
    expect(kinds.filter(measuresSilence)).toEqual(["body", "stream", "tunnel"]);
  });

  it("isClosing: closing and closed", () => {
    const states: ClientState[] = ["head", "body", "wait", "tunnel", "closing", "closed"];
    expect(states.filter(isClosing)).toEqual(["closing", "closed"]);
  });
});

describe("ConnectionTimer", () => {
  it("progress pushes a silence deadline; a fixed one fires at its time whatever the progress", () => {
    const kinds: TimerKind[] = ["head", "idle", "body", "connect", "response", "stream", "tunnel", "linger"];
    const fired: TimerKind[] = [];
    for (const kind of kinds) {
      const timer = new ConnectionTimer();
      const t0 = coarseClock.now;
      timer.arm(kind, 100, 0, 0);
      expect(timer.expired(t0 + 50, 1)).toBe("none"); // progress at +50
      const late = timer.expired(t0 + 120, 1); // no progress since: silence deadline is now +150
      if (late !== "none") fired.push(late);
      expect(timer.expired(t0 + 200, 1)).toBe(late === "none" ? kind : "none"); // silence ends it at last; a fired one is disarmed
    }
    expect(fired).toEqual(["head", "idle", "connect", "response", "linger"]);
  });
});

describe("HTTP proxy: slow but steady traffic outlives the silence timeouts", () => {
  it("a response body streamed in small gaps outlives responseTimeoutMs (stream measures silence)", async () => {
    const backend = await startBackend("slow-body", (req, res) => {
      req.resume();
      let n = 0;
      res.writeHead(200, { "Content-Type": "text/plain" }); // chunked
      const tick = setInterval(() => {
        res.write(`${n}`);
        if (++n === 10) {
          clearInterval(tick);
          res.end();
        }
      }, 120);
      res.on("close", () => clearInterval(tick));
    });
    cleanup.push(() => backend.close());
    const proxy = await startProxy(httpPool([{ id: "a", port: backend.port }]), { responseTimeoutMs: 400 });
    cleanup.push(() => proxy.close());
    const started = performance.now();
    const res = await request(proxy.port);
    expect(performance.now() - started).toBeGreaterThan(1000); // longer than 2 × the timeout in all
    expect(res.status).toBe(200);
    expect(res.body).toBe("0123456789");
  });

  it("a request body trickling in small gaps outlives bodyTimeoutMs (body measures silence)", async () => {
    const backend = await startBackend("sink", (req, res) => {
      let body = "";
      req.setEncoding("latin1");
      req.on("data", (c: string) => (body += c));
      req.on("end", () => res.end(`got ${body}`));
    });
    cleanup.push(() => backend.close());
    const proxy = await startProxy(httpPool([{ id: "a", port: backend.port }]), { bodyTimeoutMs: 400 });
    cleanup.push(() => proxy.close());
    const socket = net.connect(proxy.port, "127.0.0.1");
    cleanup.push(() => void socket.destroy());
    let text = "";
    socket.setEncoding("latin1");
    socket.on("data", (c: string) => (text += c));
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    socket.on("error", () => {});
    socket.write("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\nConnection: close\r\n\r\n");
    for (let i = 0; i < 10; i++) {
      await sleep(120);
      socket.write(`${i}`);
    }
    await Promise.race([closed, sleep(3000)]);
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text.endsWith("got 0123456789")).toBe(true);
  });

  it("a tunnel with traffic in small gaps outlives the listener idle timeout, and one gone silent is closed", async () => {
    // A raw backend: 101 on the upgrade request, then echo.
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.on("error", () => {});
      s.once("data", () => {
        s.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n");
        s.on("data", (d) => s.write(d));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanup.push(() => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const backendPort = (server.address() as AddressInfo).port;
    const proxy = await startProxy(httpPool([{ id: "echo", port: backendPort }]), {}, { idleTimeoutSeconds: 1 });
    cleanup.push(() => proxy.close());

    const socket = net.connect(proxy.port, "127.0.0.1");
    cleanup.push(() => void socket.destroy());
    let text = "";
    let closedAt = -1;
    socket.setEncoding("latin1");
    socket.on("data", (c: string) => (text += c));
    socket.on("close", () => (closedAt = performance.now()));
    socket.on("error", () => {});
    socket.write("GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n");
    const started = performance.now();
    for (let i = 0; i < 8; i++) {
      await sleep(300); // 2.4 s in all against a 1 s idle timeout
      socket.write(`${i}`);
    }
    await sleep(100);
    expect(closedAt).toBe(-1);
    expect(text).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(text.endsWith("01234567")).toBe(true);
    const silentFrom = performance.now();
    for (let i = 0; i < 40 && closedAt < 0; i++) await sleep(100);
    expect(closedAt).toBeGreaterThan(silentFrom + 900); // closed by the idle timeout, not before
    expect(closedAt - started).toBeGreaterThan(3000);
  });

  it("the response timeout stays a fixed deadline: a backend that never answers gets 504 in time", async () => {
    const backend = await startBackend("mute", (req) => req.resume()); // never answers
    cleanup.push(() => backend.close());
    const proxy = await startProxy(httpPool([{ id: "a", port: backend.port }]), { responseTimeoutMs: 300 });
    cleanup.push(() => proxy.close());
    const started = performance.now();
    const { text } = await rawExchange(proxy.port, "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", 3000);
    expect(text).toMatch(/^HTTP\/1\.1 504 /);
    expect(performance.now() - started).toBeLessThan(1500);
  });
});
