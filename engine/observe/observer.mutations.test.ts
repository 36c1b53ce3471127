import dgram from "node:dgram";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { httpPool, rawExchange, startBackend, startProxy } from "../l7/test-support/http-fixture";
import { EngineRuntime } from "../runtime/engine-runtime";
import { freePort, startTcpBackend, startUdpBackend, tcpHello, udpAsk, waitFor } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import { RecordingObserver } from "../test-support/recording-observer";

/**
 * The observer's hooks on the paths observer.test.ts does not walk: every HTTP request reported
 * exactly once also when it ends as a tunnel, when the client leaves before the response, when the
 * response is cut short, and across retries and pipelining; TCP connect errors and shaped bytes;
 * UDP sessions. Real sockets on 127.0.0.1 (127.0.0.2 plays an EIP).
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function proxyWith(observer: RecordingObserver, members: { id: string; port: number; weight?: number }[]) {
  const proxy = await startProxy(httpPool(members), {}, {}, observer);
  cleanups.push(() => proxy.close());
  return proxy;
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  return freePort();
}

/** A raw TCP server: `onConnection` gets each socket (destroyed at cleanup). */
async function rawServer(onConnection: (socket: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as AddressInfo).port;
}

function engine(observer: RecordingObserver): EngineRuntime {
  const runtime = new EngineRuntime({ drainGraceMs: 100, observer });
  cleanups.push(() => runtime.stop(100));
  return runtime;
}

describe("observer: one requestDone per HTTP request, whatever its end", () => {
  it("a tunnel (101) is reported once, with status 101 and its member, when it closes", async () => {
    const port = await rawServer((s) =>
      s.once("data", () => {
        s.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n");
        s.on("data", (d) => s.write(d));
      }),
    );
    const observer = new RecordingObserver();
    const proxy = await proxyWith(observer, [{ id: "echo", port }]);
    const { text, closed } = await new Promise<{ text: string; closed: boolean }>((resolve) => {
      const socket = net.connect(proxy.port, "127.0.0.1");
      let got = "";
      socket.setEncoding("latin1");
      socket.on("data", (c: string) => {
        got += c;
        if (got.endsWith("ping")) socket.end();
      });
      socket.on("close", () => resolve({ text: got, closed: true }));
      socket.on("error", () => {});
      socket.write("GET / HTTP/1.1\r\nHost: h\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nping");
      setTimeout(() => (socket.destroy(), resolve({ text: got, closed: false })), 3000).unref();
    });
    expect(text).toMatch(/^HTTP\/1\.1 101 [\s\S]*ping$/);
    expect(closed).toBe(true);
    await waitFor(() => observer.of("close").length === 1, 3000, "close event");
    await sleep(50);
    expect(observer.of("request").map((r) => [r.record.method, r.record.status, r.memberId, r.record.error])).toEqual([["GET", 101, "echo", null]]);
  });

  it("a client that resets before the response is reported once: status 0, the member it waited on", async () => {
    const backend = await startBackend("mute", (req) => req.resume()); // never answers
    cleanups.push(() => backend.close());
    const observer = new RecordingObserver();
    const proxy = await proxyWith(observer, [{ id: "a", port: backend.port }]);
    const socket = net.connect(proxy.port, "127.0.0.1");
    socket.on("error", () => {});
    socket.write("GET /wait HTTP/1.1\r\nHost: h\r\n\r\n");
    await waitFor(() => backend.seen.length === 1, 3000, "request at the backend");
    socket.resetAndDestroy(); // a FIN alone is a half-close: the proxy would still wait for the answer
    await waitFor(() => observer.of("close").length === 1, 3000, "close event");
    await sleep(50);
    expect(observer.of("request").map((r) => [r.record.status, r.memberId, r.record.error])).toEqual([[0, "a", "client_closed"]]);
  });

  it("a response cut short by the backend is reported once, with its status and the error", async () => {
    const port = await rawServer((s) =>
      s.once("data", () => {
        s.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..");
        setTimeout(() => s.destroy(), 50);
      }),
    );
    const observer = new RecordingObserver();
    const proxy = await proxyWith(observer, [{ id: "cut", port }]);
    const { text, closed } = await rawExchange(proxy.port, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*only ten\.\.$/);
    expect(closed).toBe(true);
    await waitFor(() => observer.of("close").length === 1, 3000, "close event");
    await sleep(50);
    expect(observer.of("request").map((r) => [r.record.status, r.memberId, r.record.error])).toEqual([[200, "cut", "backend_reset"]]);
    expect(observer.of("error").map((e) => e.kind)).toEqual(["backend_reset"]);
  });

  it("pipelined requests that each retry on another member are reported once each, with the member that answered", async () => {
    const live = await startBackend("live");
    cleanups.push(() => live.close());
    const observer = new RecordingObserver();
    // Weighted round robin 5:1 starts on the heavier (dead) member, so each request first fails to connect.
    const proxy = await proxyWith(observer, [
      { id: "dead", port: await deadPort(), weight: 5 },
      { id: "live", port: live.port, weight: 1 },
    ]);
    const { text } = await rawExchange(proxy.port, "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    expect(text.split("HTTP/1.1 200 OK").length).toBe(3);
    await waitFor(() => observer.of("close").length === 1, 3000, "close event");
    expect(observer.of("request").map((r) => [r.record.status, r.memberId, r.record.error])).toEqual([
      [200, "live", null],
      [200, "live", null],
    ]);
    // (The failed attempts themselves are not reported on HTTP, unlike TCP: only a final failure is.)
  });
});

describe("observer: TCP and UDP", () => {
  it("a TCP connect failure is reported as connect_failed, then the next member serves", async () => {
    const live = await startTcpBackend("live");
    cleanups.push(() => live.close());
    const port = await freePort();
    const observer = new RecordingObserver();
    const members = [member("dead", await deadPort(), 5), member("live", live.port, 1)];
    await engine(observer).apply(snapshot(1, [listener("t", port, "p")], [pool("p", members)]));
    expect(await tcpHello(port)).toBe("live");
    await waitFor(() => observer.of("close").length === 1, 3000, "close event");
    expect(observer.of("error").map((e) => e.kind)).toEqual(["connect_failed"]);
  });

  it("bytes held by EIP shaping count in bytesOut when they are sent", async () => {
    const size = 256 * 1024;
    const backendPort = await rawServer((s) => s.end(Buffer.alloc(size, 7)));
    const port = await freePort();
    const observer = new RecordingObserver();
    const snap = {
      ...snapshot(1, [listener("t", port, "p", { bindAddresses: ["127.0.0.1", "127.0.0.2"] })], [pool("p", [member("m", backendPort)])]),
      addressLimits: [{ address: "127.0.0.2", megabitsPerSecond: 8 }], // ≈ 250 ms for 256 KiB
    };
    expect((await engine(observer).apply(snap)).errors).toEqual([]);
    const received = await new Promise<number>((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.2", port });
      let bytes = 0;
      const timer = setTimeout(() => (socket.destroy(), reject(new Error(`timed out after ${bytes} bytes`))), 5000);
      socket.on("data", (c: Buffer) => (bytes += c.length));
      socket.on("end", () => (clearTimeout(timer), socket.end(), resolve(bytes)));
      socket.on("error", reject);
    });
    expect(received).toBe(size);
    await waitFor(() => observer.of("close").length === 1, 3000, "close event");
    expect(observer.total("bytesOut")).toBe(size);
    expect(observer.of("close")).toEqual([{ type: "close", bytesIn: 0, bytesOut: size }]);
  });

  it("a UDP session is opened once, counts datagram bytes both ways, and is closed with its totals", async () => {
    const backend = await startUdpBackend("u");
    cleanups.push(() => backend.close());
    const port = await freePort();
    const observer = new RecordingObserver();
    const rt = engine(observer);
    await rt.apply(snapshot(1, [listener("u1", port, "p", { protocol: "UDP" })], [pool("p", [member("u", backend.port)], { protocol: "UDP" })]));
    const client = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => client.bind(0, "127.0.0.1", resolve));
    cleanups.push(() => client.close());
    expect((await udpAsk(port, "hello", client)).text).toBe("u:hello");
    expect((await udpAsk(port, "again!", client)).text).toBe("u:again!");
    await rt.stop(100); // closes the listener and its sessions
    await waitFor(() => observer.of("close").length === 1, 3000, "close event");
    expect(observer.of("open")).toEqual([{ type: "open", listenerId: "u1", localAddress: "127.0.0.1", clientAddress: "127.0.0.1" }]);
    const [inBytes, outBytes] = ["hello".length + "again!".length, "u:hello".length + "u:again!".length];
    expect([observer.total("bytesIn"), observer.total("bytesOut")]).toEqual([inBytes, outBytes]);
    expect(observer.of("close")).toEqual([{ type: "close", bytesIn: inBytes, bytesOut: outBytes }]);
  });
});
