import { createHash, randomBytes } from "node:crypto";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createPoolRuntime } from "../pools/pool-runtime";
import { freePort, startTcpBackend, tcpHello, waitFor } from "../test-support/backends";
import { listener, member, pool } from "../test-support/fixtures";
import { serveHandler } from "../test-support/proxy";
import { createTcpHandler } from "./tcp";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function proxyTo(ports: number[], idleTimeoutSeconds = 300) {
  const runtime = createPoolRuntime(pool("p", ports.map((port, i) => member(`m${i}`, port))));
  const handler = createTcpHandler({ listener: listener("l", 0, "p", { idleTimeoutSeconds }), pool: runtime }, { connectTimeoutMs: 1000 });
  const proxy = await serveHandler(handler);
  cleanups.push(() => proxy.close());
  return { runtime, handler, port: proxy.port };
}

describe("TCP listener handler", () => {
  it("pipes several MB both ways intact, with the client's half-close forwarded", async () => {
    const backend = await startTcpBackend("echo", 0, false);
    cleanups.push(() => backend.close());
    const { port, runtime } = await proxyTo([backend.port]);
    const payload = randomBytes(8 * 1024 * 1024);
    const received = await new Promise<Buffer>((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1");
      const chunks: Buffer[] = [];
      socket.on("data", (c: Buffer) => chunks.push(c));
      socket.on("end", () => resolve(Buffer.concat(chunks)));
      socket.on("error", reject);
      socket.end(payload); // FIN after the payload: the echo must still come back in full
    });
    const digest = (b: Buffer) => createHash("sha256").update(b).digest("hex");
    expect(received.length).toBe(payload.length);
    expect(digest(received)).toBe(digest(payload));
    await waitFor(() => runtime.members[0]!.activeConnections === 0, 2000, "release");
  });

  it("forwards the backend's half-close while the client keeps sending", async () => {
    let receivedByBackend = -1;
    const server = net.createServer({ allowHalfOpen: true }, (socket) => {
      let total = 0;
      socket.on("data", (c: Buffer) => (total += c.length));
      socket.on("end", () => (receivedByBackend = total));
      socket.end("hello"); // FIN first, keep reading
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    const { port } = await proxyTo([(server.address() as net.AddressInfo).port]);
    const greeting = await new Promise<string>((resolve) => {
      const socket = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
      let text = "";
      socket.setEncoding("utf8");
      socket.on("data", (c: string) => (text += c));
      socket.on("end", () => {
        socket.end(Buffer.alloc(1024 * 1024, 7)); // still allowed to send after the backend's FIN
        resolve(text);
      });
    });
    expect(greeting).toBe("hello");
    await waitFor(() => receivedByBackend === 1024 * 1024, 3000, "backend to read the client's data");
  });

  it("applies backpressure: a client that does not read stalls the backend, then gets every byte", async () => {
    const total = 64 * 1024 * 1024;
    let written = 0;
    const server = net.createServer((socket) => {
      socket.on("error", () => {});
      const chunk = Buffer.alloc(64 * 1024, 1);
      const pump = () => {
        while (written < total) {
          written += chunk.length;
          if (written >= total) socket.end(chunk);
          else if (!socket.write(chunk)) return void socket.once("drain", pump);
        }
      };
      pump();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise((r) => server.close(r)));
    const { port } = await proxyTo([(server.address() as net.AddressInfo).port]);
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.pause();
    await new Promise((r) => setTimeout(r, 500));
    expect(written).toBeLessThan(total / 2); // kernel buffers hold a few MB; the proxy must not hoard the rest
    let received = 0;
    await new Promise<void>((resolve, reject) => {
      socket.on("data", (c: Buffer) => (received += c.length));
      socket.on("end", resolve);
      socket.on("error", reject);
      socket.resume();
    });
    expect(received).toBe(total);
  });

  it("retries the next member when a connect fails", async () => {
    const live = await startTcpBackend("live");
    cleanups.push(() => live.close());
    const dead = await freePort();
    const { port, runtime } = await proxyTo([dead, live.port, dead]);
    for (let i = 0; i < 6; i++) expect(await tcpHello(port)).toBe("live");
    expect(live.accepted).toBe(6);
    await waitFor(() => runtime.members.every((m) => m.activeConnections === 0), 2000, "release");
  });

  it("closes the client when no member can be reached", async () => {
    const { port } = await proxyTo([await freePort(), await freePort()]);
    await expect(tcpHello(port)).rejects.toThrow(/closed before greeting|ECONNRESET/);
  });

  it("closes the client when the listener has no backend server group", async () => {
    const handler = createTcpHandler({ listener: listener("l", 0, null), pool: null });
    const proxy = await serveHandler(handler);
    cleanups.push(() => proxy.close());
    await expect(tcpHello(proxy.port)).rejects.toThrow(/closed before greeting|ECONNRESET/);
  });

  it("closes a connection idle for idleTimeoutSeconds", async () => {
    const backend = await startTcpBackend("idle");
    cleanups.push(() => backend.close());
    const { port } = await proxyTo([backend.port], 1);
    const started = Date.now();
    await new Promise<void>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.on("data", () => {});
      socket.on("error", () => {});
      socket.on("close", () => resolve());
    });
    const took = Date.now() - started;
    expect(took).toBeGreaterThan(900);
    expect(took).toBeLessThan(2500);
    await waitFor(() => backend.open.size === 0, 1000, "backend side closed");
  });

  it("keeps a connection that moves a byte more often than idleTimeoutSeconds", async () => {
    const backend = await startTcpBackend("busy", 0, false);
    cleanups.push(() => backend.close());
    const { port } = await proxyTo([backend.port], 1);
    const socket = net.connect(port, "127.0.0.1");
    let closed = false;
    socket.on("data", () => {});
    socket.on("error", () => {});
    socket.on("close", () => (closed = true));
    for (let i = 0; i < 8; i++) {
      socket.write("x");
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(closed).toBe(false); // 2.4 s open with a 1 s idle timeout
    await new Promise((r) => socket.once("close", r)); // then idle: closed
  });

  it("drain waits for open sessions, then cuts them at the grace period", async () => {
    const backend = await startTcpBackend("drain");
    cleanups.push(() => backend.close());
    const { port, handler } = await proxyTo([backend.port]);
    const socket = net.connect(port, "127.0.0.1");
    socket.on("error", () => {});
    await new Promise((r) => socket.once("data", r));
    const started = Date.now();
    const closed = new Promise((r) => socket.once("close", r));
    await handler.drain(300);
    await closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await expect(tcpHello(port)).rejects.toThrow(); // draining: new connections are refused
  });
});
