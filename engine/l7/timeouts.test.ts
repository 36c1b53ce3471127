import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { httpPool, startProxy } from "./test-support/http-fixture";

/** Issue 7 ("Tests whose oracles can fail: timeouts"): a backend stalling mid-body, a WebSocket idle timeout. */

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe("HTTP proxy timeouts", () => {
  it("cuts a response whose backend stalls mid-body after responseTimeoutMs of silence", async () => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.on("error", () => {});
      s.once("data", () => s.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf")); // then silence
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    cleanup.push(() => {
      for (const s of sockets) s.destroy();
      server.close();
    });
    const proxy = await startProxy(httpPool([{ id: "b", port: (server.address() as AddressInfo).port }]), { responseTimeoutMs: 400 });
    cleanup.push(() => proxy.close());
    const started = Date.now();
    const outcome = await new Promise<{ body: string; error: string }>((resolve) => {
      const req = http.get({ host: "127.0.0.1", port: proxy.port, path: "/", agent: false }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("error", (e) => resolve({ body, error: e.message }));
        res.on("end", () => resolve({ body, error: "" }));
      });
      req.on("error", (e) => resolve({ body: "", error: e.message }));
    });
    const ms = Date.now() - started;
    expect(outcome.body).toBe("half");
    expect(outcome.error).toMatch(/aborted/);
    expect(ms).toBeGreaterThanOrEqual(390);
    expect(ms).toBeLessThan(400 + 500);
  });

  it("closes a WebSocket tunnel after the listener's idle timeout, and not while frames flow", async () => {
    const server = http.createServer();
    const wss = new WebSocketServer({ server });
    wss.on("connection", (ws) => ws.on("message", (d) => ws.send(d)));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    cleanup.push(async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    });
    const proxy = await startProxy(httpPool([{ id: "ws", port: (server.address() as AddressInfo).port }]), {}, { idleTimeoutSeconds: 1 });
    cleanup.push(() => proxy.close());
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/`);
    cleanup.push(() => ws.terminate());
    await new Promise<void>((resolve, reject) => (ws.once("open", () => resolve()), ws.once("error", reject)));
    const closed = new Promise<number>((resolve) => ws.once("close", () => resolve(Date.now())));
    let echoes = 0;
    ws.on("message", () => echoes++);
    for (let i = 0; i < 6; i++) {
      ws.send("ping"); // 1.5 s of traffic, every 250 ms: longer than the idle timeout, yet kept
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(echoes).toBe(6);
    const silentFrom = Date.now();
    const closedAt = await closed;
    expect(closedAt - silentFrom).toBeGreaterThanOrEqual(900);
    expect(closedAt - silentFrom).toBeLessThan(1000 + 600);
  }, 10_000);
});
