/**
 * Child process of idle-memory.test.ts, started with `node --expose-gc --import tsx`: the real HTTP
 * proxy (default options) in front of a minimal backend, nothing else in this heap. The parent opens
 * the client connections (their sockets live in its heap, not here) and asks over IPC:
 * - { type: "ports" } → { port, backendPort }   (sent unasked at start)
 * - { type: "measure", waitMs } → { heapUsed, connections } after `waitMs` and a full GC.
 */
import net from "node:net";
import type { AddressInfo } from "node:net";
import { httpPool, startProxy } from "./http-fixture";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc");

const RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
const backend = net.createServer((socket) => {
  socket.on("error", () => {});
  socket.on("data", (chunk) => {
    for (let i = chunk.indexOf("\r\n\r\n"); i >= 0; i = chunk.indexOf("\r\n\r\n", i + 4)) socket.write(RESPONSE);
  });
});
await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
const backendPort = (backend.address() as AddressInfo).port;
const proxy = await startProxy(httpPool([{ id: "b", port: backendPort }]));

process.on("message", (msg: { type: string; waitMs?: number }) => {
  if (msg.type !== "measure") return;
  setTimeout(() => {
    for (let i = 0; i < 3; i++) gc();
    process.send!({ type: "measured", heapUsed: process.memoryUsage().heapUsed, connections: proxy.handler.connectionCount });
  }, msg.waitMs ?? 0);
});
process.on("disconnect", () => process.exit(0));
process.send!({ type: "ports", port: proxy.port, backendPort });
