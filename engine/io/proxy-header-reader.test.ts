import net from "node:net";
import { Duplex } from "node:stream";
import tls from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { encodeProxyV1, encodeProxyV2 } from "../protocol/proxy-protocol/encode";
import { PROXY_V2_MAX_LENGTH, PROXY_V2_SIGNATURE } from "../protocol/proxy-protocol/proxy-header.types";
import { createTestPki, type TestPki } from "../test-support/test-certificates";
import { readProxyHeader, type ProxyReadOptions, type ProxyReadResult } from "./proxy-header-reader";
import { readInto } from "./socket-reader";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const HEADER_V2 = encodeProxyV2(
  { family: "IPv4", sourceAddress: "203.0.113.7", sourcePort: 40123, destinationAddress: "198.51.100.1", destinationPort: 443 },
  "STREAM",
);
const HEADER_V1 = encodeProxyV1({ family: "IPv6", sourceAddress: "2001:db8::7", sourcePort: 40123, destinationAddress: "2001:db8::1", destinationPort: 80 });
const EVENTS = ["data", "end", "close", "error", "readable"] as const;

/** One accepted connection and what the reader said about it. */
interface Read {
  socket: net.Socket;
  result: ProxyReadResult;
  /** ms from accept to `done`. */
  elapsedMs: number;
  /** socket.bytesRead when `done` ran. */
  bytesRead: number;
  /** How many times `done` ran (checked again a little later). */
  calls: () => number;
}

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/**
 * A loopback server accepting as the engine does (pauseOnConnect, allowHalfOpen) that runs the reader on
 * every connection and checks that `done` leaves no listener and no timer of its own behind.
 */
async function readerServer(options: ProxyReadOptions): Promise<{ port: number; next: () => Promise<Read> }> {
  const reads: Read[] = [];
  const waiters: ((read: Read) => void)[] = [];
  const setTimeoutSpy = vi.spyOn(globalThis, "setTimeout");
  const clearTimeoutSpy = vi.spyOn(globalThis, "clearTimeout");
  const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true }, (socket) => {
    sockets.push(socket);
    socket.on("error", () => {}); // the test's own listener, as a caller's would be
    const before = EVENTS.map((event) => socket.listenerCount(event));
    const started = Date.now();
    const timersBefore = setTimeoutSpy.mock.results.length;
    let calls = 0;
    readProxyHeader(socket, options, (result) => {
      calls++;
      expect(EVENTS.map((event) => socket.listenerCount(event)), "listeners after done").toEqual(before);
      const timer = setTimeoutSpy.mock.results[timersBefore]?.value;
      expect(timer, "the reader's timer").toBeDefined();
      expect(clearTimeoutSpy.mock.calls.some(([cleared]) => cleared === timer), "timer cleared").toBe(true);
      const read = { socket, result, elapsedMs: Date.now() - started, bytesRead: socket.bytesRead, calls: () => calls };
      const waiter = waiters.shift();
      if (waiter) waiter(read);
      else reads.push(read);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { port, next: () => new Promise((resolve) => (reads.length > 0 ? resolve(reads.shift()!) : waiters.push(resolve))) };
}

async function connect(port: number, localAddress = "127.0.0.1"): Promise<net.Socket> {
  const socket = net.connect({ port, host: "127.0.0.1", localAddress, noDelay: true });
  sockets.push(socket);
  socket.on("error", () => {}); // a server that refuses resets us: expected in some tests
  await new Promise((resolve) => socket.once("connect", resolve));
  return socket;
}

/** Everything the socket delivers to the engine's shared-buffer reader until `expected` bytes arrived. */
function readAllInto(socket: net.Socket, expected: number, shared = Buffer.alloc(64 * 1024)): Promise<{ text: string; viaShared: boolean[] }> {
  const chunks: Buffer[] = [];
  const viaShared: boolean[] = [];
  let total = 0;
  return new Promise((resolve) => {
    readInto(socket, shared, (nread, buf) => {
      chunks.push(Buffer.from(buf.subarray(0, nread)));
      viaShared.push(buf.buffer === shared.buffer);
      total += nread;
      if (total >= expected) resolve({ text: Buffer.concat(chunks).toString("latin1"), viaShared });
    });
  });
}

function expectHeader(result: ProxyReadResult, sourceAddress: string) {
  expect(result.status).toBe("header");
  if (result.status === "header") expect(result.header.addresses?.sourceAddress).toBe(sourceAddress);
}

describe("readProxyHeader on real loopback sockets", () => {
  it("header and data in one segment: the header, then the data reaches the engine's readInto", async () => {
    const { port, next } = await readerServer({ timeoutMs: 2000, required: true });
    const client = await connect(port);
    client.write(Buffer.concat([HEADER_V2, Buffer.from("hello")]));
    const read = await next();
    expectHeader(read.result, "203.0.113.7");
    expect(read.socket.isPaused()).toBe(true);
    const received = readAllInto(read.socket, 10);
    client.write("world");
    expect((await received).text).toBe("helloworld");
  });

  it("header alone: later data still takes readInto's shared-buffer path (nothing buffered in the stream)", async () => {
    const { port, next } = await readerServer({ timeoutMs: 2000, required: true });
    const client = await connect(port);
    client.write(HEADER_V1);
    const read = await next();
    expectHeader(read.result, "2001:db8::7");
    expect(read.socket.readableLength).toBe(0);
    const received = readAllInto(read.socket, 5);
    await sleep(20);
    client.write("later");
    const { text, viaShared } = await received;
    expect(text).toBe("later");
    expect(viaShared.every(Boolean)).toBe(true);
  });

  it("a header split across many TCP segments (one byte every 2 ms) decodes, then the data follows", async () => {
    const { port, next } = await readerServer({ timeoutMs: 5000, required: true });
    for (const header of [HEADER_V1, HEADER_V2]) {
      const client = await connect(port);
      for (const byte of header) {
        client.write(Uint8Array.of(byte));
        await sleep(2);
      }
      client.write("after");
      const read = await next();
      expect(read.result.status).toBe("header");
      expect(read.elapsedMs).toBeGreaterThanOrEqual((header.length - 1) * 2);
      expect((await readAllInto(read.socket, 5)).text).toBe("after");
    }
  });

  it("a slowloris header (one byte every 200 ms) is cut by the timeout, its bytes put back", async () => {
    const { port, next } = await readerServer({ timeoutMs: 1000, required: true });
    const client = await connect(port);
    let sent = 0;
    const pending = next();
    const drip = (async () => {
      for (const byte of HEADER_V1) {
        if (client.destroyed) return;
        client.write(Uint8Array.of(byte));
        sent++;
        await sleep(200);
      }
    })();
    const read = await pending;
    expect(read.result.status).toBe("timeout");
    expect(read.elapsedMs).toBeGreaterThanOrEqual(950);
    expect(read.elapsedMs).toBeLessThan(1600);
    expect(read.socket.readableLength).toBeGreaterThanOrEqual(4);
    expect(read.socket.readableLength).toBeLessThanOrEqual(sent);
    expect(read.socket.read()?.toString("latin1")).toBe(HEADER_V1.subarray(0, read.socket.bytesRead).toString("latin1"));
    client.destroy();
    await drip;
  });

  it("200 KB of a fake v2 header, or of a v1 line without CRLF, is refused after at most PROXY_V2_MAX_LENGTH bytes", async () => {
    const { port, next } = await readerServer({ timeoutMs: 10_000, required: true });
    const longestLength = Buffer.concat([PROXY_V2_SIGNATURE, Uint8Array.of(0x21, 0x11, 0x10, 0x00)]); // len 4096: the max
    const overLength = Buffer.concat([PROXY_V2_SIGNATURE, Uint8Array.of(0x21, 0x11, 0xff, 0xff)]);
    const fakes = [
      [Buffer.concat([longestLength, Buffer.alloc(200 * 1024, 0xff)]), /TLV/, PROXY_V2_MAX_LENGTH],
      [Buffer.concat([overLength, Buffer.alloc(200 * 1024, 0xff)]), /longer than the 4112 bytes/, 16],
      [Buffer.concat([Buffer.from("PROXY UNKNOWN "), Buffer.alloc(200 * 1024, 0x78)]), /no CRLF in the first 107 bytes/, 106],
    ] as const;
    for (const [fake, reason, decidedAt] of fakes) {
      const client = await connect(port);
      const pending = next();
      let written = 0;
      let read: Read | null = null;
      void pending.then((r) => (read = r));
      // 1 KB at a time, as long as the server has not decided: a reader that buffered would wait for all of it.
      while (written < fake.length && read === null && !client.destroyed) {
        client.write(fake.subarray(written, written + 1024));
        written += 1024;
        await sleep(1);
      }
      const decided = await pending;
      expect(decided.result.status).toBe("invalid");
      if (decided.result.status === "invalid") expect(decided.result.reason).toMatch(reason);
      expect(decided.bytesRead).toBeGreaterThanOrEqual(decidedAt);
      expect(decided.bytesRead).toBeLessThan(decidedAt + 8 * 1024);
      expect(written).toBeLessThan(fake.length / 4);
      decided.socket.destroy();
    }
  });

  it("an ordinary client (required: false) is absent from its first bytes, which come back whole and in order", async () => {
    const { port, next } = await readerServer({ timeoutMs: 2000, required: false });
    const request = "POST / HTTP/1.1\r\nHost: x\r\n\r\n";
    const client = await connect(port);
    client.write("P"); // "P" could start "PROXY": the reader must hold it, then give it back
    await sleep(30);
    client.write(request.slice(1, 3)); // "OS"
    const read = await next();
    expect(read.result.status).toBe("absent");
    const received = readAllInto(read.socket, request.length);
    client.write(request.slice(3));
    expect((await received).text).toBe(request);
  });

  it("required: true turns an ordinary client into invalid; a header from anyone is reported as found", async () => {
    const required = await readerServer({ timeoutMs: 2000, required: true });
    (await connect(required.port)).write("GET / HTTP/1.1\r\n\r\n");
    const refused = await required.next();
    expect(refused.result).toMatchObject({ status: "invalid", reason: expect.stringMatching(/header is required/) });
    const optional = await readerServer({ timeoutMs: 2000, required: false });
    (await connect(optional.port)).write(HEADER_V2);
    expectHeader((await optional.next()).result, "203.0.113.7");
  });

  it("a malformed header is invalid at once, not at the timeout", async () => {
    const { port, next } = await readerServer({ timeoutMs: 5000, required: true });
    (await connect(port)).write("PROXY TCP4 1.2.3.4  5.6.7.8");
    const read = await next();
    expect(read.result).toMatchObject({ status: "invalid", reason: expect.stringMatching(/exactly one space/) });
    expect(read.elapsedMs).toBeLessThan(1000);
  });

  it("a peer that ends, resets or is gone before the header is complete is closed, and done runs once", async () => {
    const { port, next } = await readerServer({ timeoutMs: 3000, required: true });
    const ends = await connect(port);
    ends.write("PROXY TCP4 1.2");
    ends.end();
    const ended = await next();
    expect(ended.result.status).toBe("closed");
    const resets = await connect(port);
    resets.write(HEADER_V2.subarray(0, 20));
    await sleep(30);
    resets.resetAndDestroy();
    const reset = await next();
    expect(reset.result.status).toBe("closed");
    await sleep(50);
    expect([ended.calls(), reset.calls()]).toEqual([1, 1]);

    const gone = new net.Socket();
    gone.destroy();
    const results: ProxyReadResult[] = [];
    readProxyHeader(gone, { timeoutMs: 1000, required: true }, (result) => results.push(result));
    expect(results).toEqual([{ status: "closed" }]);
  });

  it("done runs once even when the peer closes right after a complete header", async () => {
    const { port, next } = await readerServer({ timeoutMs: 3000, required: true });
    const client = await connect(port);
    client.end(Buffer.concat([HEADER_V2, Buffer.from("bye")]));
    const read = await next();
    expect(read.result.status).toBe("header");
    expect((await readAllInto(read.socket, 3)).text).toBe("bye");
    await sleep(50);
    expect(read.calls()).toBe(1);
  });
});

describe("readProxyHeader then TLS", () => {
  let pki: TestPki;
  let secureContext: tls.SecureContext;
  beforeAll(async () => {
    pki = await createTestPki();
    const leaf = await pki.server({ commonName: "proxied.test" });
    secureContext = tls.createSecureContext({ cert: leaf.chainPem, key: leaf.keyPem });
  });
  afterAll(async () => pki?.cleanup());

  /**
   * A TLS client whose bytes go through a relay onto the raw socket, so that the header and the
   * ClientHello leave in one write (`together`) — one segment on loopback with Nagle off — or apart.
   */
  async function tlsThroughHeader(port: number, together: boolean): Promise<tls.TLSSocket> {
    const raw = await connect(port);
    let first = true;
    const relay = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        if (first && together) raw.write(Buffer.concat([HEADER_V2, chunk]), callback);
        else raw.write(chunk, callback);
        first = false;
      },
      final(callback) {
        raw.end();
        callback();
      },
    });
    raw.on("data", (chunk) => relay.push(chunk));
    raw.on("end", () => relay.push(null));
    if (!together) raw.write(HEADER_V2);
    const client = tls.connect({ socket: relay, servername: "proxied.test", ca: pki.root.certPem });
    client.on("error", () => {});
    sockets.push(client as unknown as net.Socket);
    return client;
  }

  for (const together of [true, false]) {
    it(`completes a TLS handshake after the header when the ClientHello comes ${together ? "in the same segment" : "after it"}`, async () => {
      const { port, next } = await readerServer({ timeoutMs: 3000, required: true });
      const client = await tlsThroughHeader(port, together);
      const read = await next();
      expectHeader(read.result, "203.0.113.7");
      // Together: the ClientHello was in the header's read and went back into the socket (0x16 = handshake).
      if (together) expect(read.socket.readableLength).toBeGreaterThan(0);
      const secure = new tls.TLSSocket(read.socket, { isServer: true, secureContext });
      sockets.push(secure);
      secure.on("error", () => {});
      secure.on("secure", () => secure.write("over tls"));
      const answer = await new Promise<string>((resolve, reject) => {
        client.once("data", (data) => resolve(data.toString()));
        client.once("error", reject);
      });
      expect(answer).toBe("over tls");
      expect(client.authorized).toBe(true);
    });
  }
});
