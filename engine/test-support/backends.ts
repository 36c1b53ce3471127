import dgram from "node:dgram";
import net from "node:net";
import type { AddressInfo } from "node:net";

/** Real backends and clients on loopback for engine tests. Every helper is bounded in time. */

/** A TCP backend that greets each connection with its name, then echoes. */
export interface TcpBackend {
  readonly name: string;
  readonly port: number;
  /** Connections accepted so far. */
  accepted: number;
  /** Connections open now. */
  readonly open: Set<net.Socket>;
  close(): Promise<void>;
  /** Listens again on the same port after close(). */
  restart(): Promise<void>;
}

/** Starts a TCP backend on 127.0.0.1 (port 0 unless given). `greet` false = pure echo. */
export async function startTcpBackend(name: string, port = 0, greet = true): Promise<TcpBackend> {
  const open = new Set<net.Socket>();
  const backend = { name, port, accepted: 0, open } as TcpBackend & { port: number };
  const makeServer = () =>
    net.createServer({ allowHalfOpen: true }, (socket) => {
      backend.accepted++;
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => {});
      if (greet) socket.write(`${name}\n`);
      socket.pipe(socket);
    });
  let server = makeServer();
  await listen(server, port);
  backend.port = (server.address() as AddressInfo).port;
  backend.close = async () => {
    for (const socket of open) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  backend.restart = async () => {
    server = makeServer();
    await listen(server, backend.port);
  };
  return backend;
}

function listen(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
}

/** Connects, reads the greeting line (the backend's name) and closes. */
export function tcpHello(port: number, host = "127.0.0.1", localAddress?: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host, localAddress });
    let data = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("tcpHello timed out"));
    }, timeoutMs);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      data += chunk;
      const end = data.indexOf("\n");
      if (end >= 0) {
        clearTimeout(timer);
        socket.destroy();
        resolve(data.slice(0, end));
      }
    });
    socket.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      reject(new Error("closed before greeting"));
    });
  });
}

/** Writes a line on a held connection to an echoing backend and resolves with the line read back. */
export function echoLine(socket: net.Socket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    const onData = (chunk: Buffer | string) => {
      data += chunk.toString();
      if (!data.includes("\n")) return;
      socket.off("data", onData);
      resolve(data.trim());
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.write(`${text}\n`);
  });
}

/** A UDP backend replying `${name}:${payload}` to every datagram. */
export interface UdpBackend {
  readonly name: string;
  readonly port: number;
  received: number;
  close(): Promise<void>;
}

/** Starts a UDP backend on 127.0.0.1 port 0. */
export async function startUdpBackend(name: string): Promise<UdpBackend> {
  const socket = dgram.createSocket("udp4");
  const backend = { name, port: 0, received: 0 } as UdpBackend & { port: number };
  socket.on("message", (msg, rinfo) => {
    backend.received++;
    socket.send(Buffer.concat([Buffer.from(`${name}:`), msg]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  backend.port = socket.address().port;
  backend.close = () => new Promise<void>((resolve) => socket.close(() => resolve()));
  return backend;
}

/** Sends one datagram from a fresh (or given) socket and waits for one reply. */
export function udpAsk(
  port: number,
  payload: string,
  socket?: dgram.Socket,
  host = "127.0.0.1",
  timeoutMs = 2000,
): Promise<{ text: string; from: string }> {
  const own = socket === undefined;
  const s = socket ?? dgram.createSocket("udp4");
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.off("message", onMessage);
      if (own) s.close();
      reject(new Error("udpAsk timed out"));
    }, timeoutMs);
    const onMessage = (msg: Buffer, rinfo: dgram.RemoteInfo) => {
      clearTimeout(timer);
      s.off("message", onMessage);
      if (own) s.close();
      resolve({ text: msg.toString(), from: `${rinfo.address}:${rinfo.port}` });
    };
    s.on("message", onMessage);
    s.send(payload, port, host);
  });
}

/** Resolves when `predicate` holds, polling every 50 ms; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A port that was free a moment ago (bind port 0, read it, close). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await listen(server, 0);
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
