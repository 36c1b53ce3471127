import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { compileAddressSet } from "../../access-control/address-set";
import { createPoolRuntime } from "../../pools/pool-runtime";
import type { PoolRuntime } from "../../pools/pool-runtime.types";
import { DEFAULT_CLIENT_IP, type SnapshotClientIp, type SnapshotListener, type SnapshotMember, type SnapshotPool } from "../../protocol/snapshot.types";
import { HttpProxy } from "../http-proxy";
import { createConnectionContext } from "../../observe/connection-context";
import { NOOP_OBSERVER } from "../../observe/noop-observer";
import type { ConnectionObserver } from "../../observe/observer.types";
import type { HttpProxyOptions } from "../proxy-options";

/** Test fixtures for the L7 proxy: real sockets on 127.0.0.1 port 0, real clients and servers. */

/** An HTTP listener config on `port`. */
export function httpListener(port: number, overrides: Partial<SnapshotListener> = {}): SnapshotListener {
  return {
    id: "listener-1",
    name: "listener-1",
    loadBalancerId: "lb-1",
    protocol: "HTTP",
    port,
    bindAddresses: ["127.0.0.1"],
    defaultPoolId: "pool-1",
    idleTimeoutSeconds: 60,
    ...overrides,
  };
}

/** A listener's client IP settings: the defaults (`DEFAULT_CLIENT_IP`) with `overrides`. */
export function clientIpSettings(overrides: Partial<SnapshotClientIp> = {}): SnapshotClientIp {
  return { ...DEFAULT_CLIENT_IP, trustedIps: [], ...overrides };
}

/** Every X-Forwarded-* switch on (Proto, Port, Host; X-Real-IP off), X-Forwarded-For appended. */
export const ALL_FORWARDED: SnapshotClientIp = Object.freeze(clientIpSettings({ xForwardedPort: true, xForwardedHost: true }));

/** An HTTP round-robin pool of `members` on 127.0.0.1. */
export function httpPool(members: { id: string; port: number; weight?: number }[], overrides: Partial<SnapshotPool> = {}): SnapshotPool {
  const list: SnapshotMember[] = members.map((m) => ({ id: m.id, name: m.id, address: "127.0.0.1", port: m.port, weight: m.weight ?? 1 }));
  return {
    id: "pool-1",
    name: "pool-1",
    loadBalancerId: "lb-1",
    protocol: "HTTP",
    algorithm: "ROUND_ROBIN",
    stickySession: null,
    members: list,
    healthMonitor: null,
    ...overrides,
  };
}

/** A running proxy: the handler behind a net.Server. */
export interface ProxyFixture {
  port: number;
  handler: HttpProxy;
  pool: PoolRuntime | null;
  close(): Promise<void>;
}

/**
 * Starts the proxy for `pool` (null = listener without a backend server group) on `host` (default
 * 127.0.0.1) port 0; `observer` sees its connections. Trusted IPs are compiled as the listener layer does (access-control's `compileAddressSet`).
 */
export async function startProxy(
  pool: SnapshotPool | null,
  options: HttpProxyOptions = {},
  listenerOverrides: Partial<SnapshotListener> = {},
  observer: ConnectionObserver = NOOP_OBSERVER,
  host = "127.0.0.1",
): Promise<ProxyFixture> {
  const runtime = pool === null ? null : createPoolRuntime(pool);
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  const handler = new HttpProxy({ listener: httpListener(port, { bindAddresses: [host], ...listenerOverrides }), pool: runtime }, { compileTrustedIps: compileAddressSet, ...options });
  const binding = { listenerId: "listener-1", localAddress: host, localPort: port, bandwidth: null, observer };
  server.on("connection", (socket) => handler.handle(socket, createConnectionContext(binding, socket.remoteAddress, socket.remotePort)));
  return {
    port,
    handler,
    pool: runtime,
    async close() {
      server.close();
      await handler.drain(200);
    },
  };
}

/** What a test backend saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  /** Id of the TCP connection it arrived on (to prove keep-alive reuse). */
  connection: number;
}

/** A node:http backend that records requests and answers `name` (or a custom handler). */
export interface HttpBackend {
  name: string;
  port: number;
  server: http.Server;
  seen: SeenRequest[];
  connections: number;
  close(): Promise<void>;
}

/** Starts a backend; the default handler answers 200 with its name and reads the body. */
export async function startBackend(
  name: string,
  handler?: (req: http.IncomingMessage, res: http.ServerResponse, seen: SeenRequest) => void,
): Promise<HttpBackend> {
  let nextId = 0;
  const backend: HttpBackend = { name, port: 0, server: http.createServer(), seen: [], connections: 0, close: async () => {} };
  const server = backend.server;
  server.keepAliveTimeout = 30_000;
  const sockets = new Set<net.Socket>();
  server.on("connection", (socket: net.Socket & { elbId?: number }) => {
    socket.elbId = ++nextId;
    backend.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("request", (req, res) => {
    const seen: SeenRequest = {
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      connection: (req.socket as net.Socket & { elbId?: number }).elbId ?? 0,
    };
    backend.seen.push(seen);
    if (handler) return handler(req, res, seen);
    req.resume();
    req.on("end", () => res.end(name));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  backend.port = (server.address() as AddressInfo).port;
  backend.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return backend;
}

/** A response as a test reads it. */
export interface TestResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request through node:http with `agent` (keep-alive agent to test reuse). */
export function request(
  port: number,
  options: http.RequestOptions & { body?: string | Buffer } = {},
): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: "/", ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error("request timed out")));
    req.end(options.body);
  });
}

/** Sends raw bytes and collects everything until the proxy closes (or `waitMs` passes). */
export function rawExchange(port: number, payload: string | Buffer, waitMs = 3000): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString("latin1"), closed });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("close", () => finish(true));
    socket.on("error", () => finish(true));
    socket.write(payload);
  });
}
