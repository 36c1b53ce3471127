import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { httpPool, request, startProxy } from "./test-support/http-fixture";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** A ws echo server on a node:http server that also answers plain requests. */
async function echoServer(): Promise<{ port: number; headers: http.IncomingHttpHeaders[] }> {
  const headers: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => res.end("plain"));
  const wss = new WebSocketServer({ server });
  wss.on("connection", (ws, req) => {
    headers.push(req.headers);
    ws.on("message", (data, binary) => ws.send(data, { binary }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanup.push(async () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return { port: (server.address() as AddressInfo).port, headers };
}

describe("WebSocket through an HTTP listener (ws://, no configuration)", () => {
  it("upgrades and echoes text and binary frames both ways", async () => {
    const backend = await echoServer();
    const proxy = await startProxy(httpPool([{ id: "ws", port: backend.port }]));
    cleanup.push(() => proxy.close());
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/chat`);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    const received: string[] = [];
    const all = new Promise<void>((resolve) => {
      ws.on("message", (data) => {
        received.push(data.toString());
        if (received.length === 3) resolve();
      });
    });
    const big = "x".repeat(300_000);
    ws.send("hello");
    ws.send(Buffer.from("binary"));
    ws.send(big);
    await all;
    expect(received).toEqual(["hello", "binary", big]);
    expect(backend.headers[0]!["x-forwarded-for"]).toBe("127.0.0.1");
    expect(backend.headers[0]!.upgrade).toBe("websocket");
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    ws.close(1000, "bye");
    expect(await closed).toBe(1000);
    // Plain HTTP still works on the same listener.
    expect((await request(proxy.port)).body).toBe("plain");
  });
});
