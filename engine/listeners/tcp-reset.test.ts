import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createPoolRuntime } from "../pools/pool-runtime";
import { listener, member, pool } from "../test-support/fixtures";
import { serveHandler } from "../test-support/proxy";
import { createTcpHandler } from "./tcp";

/** Issue 7 (engine, "Also"): a reset on one side of a TCP listener is a reset on the other, not a FIN. */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** How a socket ended: "reset" (ECONNRESET), "end" (FIN), or "timeout" when nothing came within `ms`. */
function outcome(socket: net.Socket, ms = 2000): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("timeout"), ms);
    socket.on("error", (err: NodeJS.ErrnoException) => (clearTimeout(timer), resolve(err.code === "ECONNRESET" ? "reset" : String(err.code))));
    socket.on("end", () => (clearTimeout(timer), resolve("end")));
    socket.resume();
  });
}

async function setup(onBackend: (socket: net.Socket) => void) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    onBackend(socket);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const runtime = createPoolRuntime(pool("p", [member("m", (server.address() as net.AddressInfo).port)]));
  const proxy = await serveHandler(createTcpHandler({ listener: listener("l", 0, "p"), pool: runtime }, { connectTimeoutMs: 1000 }));
  cleanups.push(() => void proxy.close()); // not awaited: the backend sockets are destroyed right after
  const client = net.connect(proxy.port, "127.0.0.1");
  client.on("error", () => {});
  cleanups.push(() => client.destroy());
  await new Promise<void>((r) => client.once("connect", () => r()));
  return client;
}

describe("TCP listener: resets", () => {
  it("resets the backend when the client resets (an aborted upload must not look complete)", async () => {
    let backendSaw: Promise<string> = Promise.resolve("no connection");
    let gotData: () => void = () => {};
    const data = new Promise<void>((r) => (gotData = r));
    const client = await setup((socket) => {
      backendSaw = outcome(socket);
      socket.once("data", () => gotData());
    });
    client.write("partial upload");
    await data;
    client.resetAndDestroy();
    expect(await backendSaw).toBe("reset");
  });

  it("resets the client when the backend resets", async () => {
    const client = await setup((socket) => socket.once("data", () => socket.resetAndDestroy()));
    const clientSaw = outcome(client);
    client.write("hello");
    expect(await clientSaw).toBe("reset");
  });

  it("resets the client when only a write finds the backend's reset (the backend's reads paused: the client does not read)", async () => {
    let backend: net.Socket | null = null;
    const client = await setup((socket) => {
      backend = socket;
      // Fills every buffer on the way to the client, which does not read: the proxy stops reading this socket.
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const fill = () => {
        while (socket.writable && socket.write(chunk));
      };
      socket.on("drain", fill);
      fill();
    });
    await new Promise((r) => setTimeout(r, 300));
    backend!.resetAndDestroy();
    await new Promise((r) => setTimeout(r, 50)); // the RST arrives; the proxy, not reading, does not see it
    client.write("x"); // forwarded with a direct send, which is the first to meet the reset
    expect(await outcome(client)).toBe("reset");
  });

  it("still forwards a clean FIN as FIN", async () => {
    let backendSaw: Promise<string> = Promise.resolve("no connection");
    const client = await setup((socket) => (backendSaw = outcome(socket)));
    client.write("x");
    await new Promise((r) => setTimeout(r, 50));
    client.end();
    expect(await backendSaw).toBe("end");
  });
});
