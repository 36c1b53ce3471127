import { createHash, randomBytes } from "node:crypto";
import http2, { type ClientHttp2Session, type ClientSessionOptions, type IncomingHttpHeaders } from "node:http2";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createServerCertificate, until, type TestServerCertificate } from "../test-support/h2-fixture";
import { STREAM_HIGH_WATER } from "./h2-stream";
import { startWireServer, type TestExchange, type WireServer } from "./test-support/wire-server";

/**
 * The wire layer against node:http2's client (nghttp2): many streams, flow control both ways, resets,
 * PING, SETTINGS mid-flight, and the output batching. Each server here is a bare `H2Connection` whose
 * streams the test answers itself.
 */

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

let certificate: TestServerCertificate;
const cleanups: (() => unknown)[] = [];
beforeAll(async () => {
  certificate = await createServerCertificate();
});
afterAll(() => certificate.cleanup());
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function server(onStream: (x: TestExchange) => void): Promise<WireServer> {
  const s = await startWireServer(certificate.server, onStream);
  cleanups.push(() => s.close());
  return s;
}

function connect(port: number, options: ClientSessionOptions = {}): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://localhost:${port}`, { ca: certificate.caPem, host: "127.0.0.1", servername: "localhost", ...options });
    cleanups.push(() => session.destroy());
    session.once("connect", () => resolve(session));
    session.once("error", reject);
  });
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function get(session: ClientHttp2Session, path: string, body?: Buffer): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ":method": body === undefined ? "GET" : "POST", ":path": path }, { endStream: body === undefined });
    const chunks: Buffer[] = [];
    let headers: IncomingHttpHeaders = {};
    stream.on("response", (h) => (headers = h));
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => resolve({ status: Number(headers[":status"]), headers, body: Buffer.concat(chunks) }));
    stream.on("error", reject);
    stream.on("close", () => reject(new Error(`closed before its end (code ${stream.rstCode})`)));
    if (body !== undefined) stream.end(body);
  });
}

describe("H2Connection with node:http2 clients", () => {
  it("serves 300 concurrent streams on one connection, never more than 128 open at once", async () => {
    let open = 0;
    let most = 0;
    const s = await server((x) => {
      most = Math.max(most, ++open);
      x.onClose = () => open--;
      setTimeout(() => x.answer(`hello ${x.field(":path")}`), Math.random() * 20);
    });
    const client = await connect(s.port);
    const replies = await Promise.all(Array.from({ length: 300 }, (_, i) => get(client, `/${i}`)));
    expect(replies.map((r) => r.body.toString())).toEqual(Array.from({ length: 300 }, (_, i) => `hello /${i}`));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(most).toBeLessThanOrEqual(128);
    expect(most).toBeGreaterThan(50);
    await until(() => open === 0);
    expect(s.connections).toHaveLength(1);
  });

  it("answers produced in one event-loop turn go out in one socket write", async () => {
    const s = await server((x) => x.answer("ok"));
    const client = await connect(s.port);
    await get(client, "/warm");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = s.writes;
    // 100 requests in flight: they arrive in a few TLS records, each record's answers leave in one write.
    const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => get(client, `/${i}`)));
    expect(replies.every((r) => r.body.toString() === "ok")).toBe(true);
    expect(s.writes - before).toBeLessThan(20); // one write per stream (or per frame) would be 100 or more
  });

  it("sends a 5 MiB response to a client with a 16 KiB window: DATA never past the window, backpressure through write/drain", async () => {
    const payload = randomBytes(5 * 1024 * 1024);
    let most = 0;
    const s = await server((x) => {
      const watch = setInterval(() => (most = Math.max(most, x.stream.queuedBytes)), 1);
      x.onClose = () => clearInterval(watch);
      x.sendBody(payload);
    });
    const client = await connect(s.port, { settings: { initialWindowSize: 16 * 1024 } });
    const reply = await get(client, "/big");
    expect(reply.body.length).toBe(payload.length);
    expect(sha256(reply.body)).toBe(sha256(payload));
    expect(s.exchanges[0]!.drains).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(STREAM_HIGH_WATER + 64 * 1024);
  });

  it("a client that stops reading holds the response in the stream (bounded), then gets every byte", async () => {
    const payload = randomBytes(5 * 1024 * 1024);
    const s = await server((x) => x.sendBody(payload));
    const client = await connect(s.port);
    const stream = client.request({ ":path": "/big" });
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.pause();
    await new Promise((resolve) => setTimeout(resolve, 400));
    const x = s.exchanges[0]!;
    expect(x.stream.queuedBytes).toBeLessThanOrEqual(STREAM_HIGH_WATER + 64 * 1024);
    expect(x.drains).toBe(0); // still waiting for the client's window
    stream.resume();
    await new Promise((resolve) => stream.on("end", resolve));
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(payload));
  });

  it("a 5 MiB upload to a slow owner: while paused the client is held by our 64 KiB window, then every byte arrives", async () => {
    const payload = randomBytes(5 * 1024 * 1024);
    const s = await server((x) => {
      x.stream.pause(); // a backend that does not read
      x.onEnd = () => x.answer(sha256(x.body));
    });
    const client = await connect(s.port);
    const reply = get(client, "/upload", payload);
    await until(() => s.exchanges.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const x = s.exchanges[0]!;
    expect(x.bytes).toBeGreaterThan(0);
    expect(x.bytes).toBeLessThanOrEqual(65_535);
    // Slow from now on: resumed a little at a time.
    const slow = setInterval(() => {
      x.stream.resume();
      setImmediate(() => x.stream.pause());
    }, 1);
    cleanups.push(() => clearInterval(slow));
    const r = await reply;
    clearInterval(slow);
    expect(r.body.toString()).toBe(sha256(payload));
    expect(x.bytes).toBe(payload.length);
  });

  it("RST_STREAM of one stream closes it alone (its owner told once); the others finish", async () => {
    const s = await server((x) => {
      if (x.field(":path") === "/cancel") return x.stream.respond({ ":status": 200 }, false);
      setTimeout(() => x.answer(`done ${x.field(":path")}`), 100);
    });
    const client = await connect(s.port);
    const others = Array.from({ length: 9 }, (_, i) => get(client, `/o${i}`));
    const cancelled = client.request({ ":path": "/cancel" });
    cancelled.on("error", () => {});
    await new Promise((resolve) => cancelled.once("response", resolve));
    cancelled.close(http2.constants.NGHTTP2_CANCEL);
    const x = () => s.exchanges.find((e) => e.field(":path") === "/cancel")!;
    await until(() => x().closed);
    expect(x().stream.write(Buffer.from("late"))).toBe(true); // ignored after the close
    const replies = await Promise.all(others);
    expect(replies.map((r) => r.body.toString())).toEqual(Array.from({ length: 9 }, (_, i) => `done /o${i}`));
    expect((await get(client, "/after")).body.toString()).toBe("done /after");
  });

  it("a client whose decoder has no dynamic table (SETTINGS_HEADER_TABLE_SIZE 0) gets a table size update first, then its answers", async () => {
    const s = await server((x) => x.answer("ok"));
    const client = await connect(s.port, { settings: { headerTableSize: 0 } });
    await new Promise((resolve) => setTimeout(resolve, 50)); // our ACK of its SETTINGS went out
    const replies = await Promise.all([get(client, "/1"), get(client, "/2")]);
    expect(replies.map((r) => r.body.toString())).toEqual(["ok", "ok"]);
  });

  it("answers PING with its payload", async () => {
    const s = await server((x) => x.answer("ok"));
    const client = await connect(s.port);
    const payload = await new Promise<Buffer>((resolve, reject) =>
      client.ping(Buffer.from("8 bytes!"), (err, _ms, p) => (err ? reject(err) : resolve(p))),
    );
    expect(payload.toString()).toBe("8 bytes!");
  });

  it("SETTINGS_INITIAL_WINDOW_SIZE changed mid-flight: nothing flows on a 0 window, the raise reopens the open stream", async () => {
    const payload = randomBytes(200 * 1024);
    const s = await server((x) => x.sendBody(payload));
    const client = await connect(s.port, { settings: { initialWindowSize: 0 } });
    const stream = client.request({ ":path": "/big" });
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    await new Promise((resolve) => stream.once("response", resolve));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(Buffer.concat(chunks).length).toBe(0);
    client.settings({ initialWindowSize: 65_535 });
    await new Promise((resolve) => stream.on("end", resolve));
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(payload));
  });

  it("graceful close: GOAWAY, the open stream finishes, then the socket closes", async () => {
    let finish: (() => void) | null = null;
    const s = await server((x) => {
      finish = () => x.answer("finished");
    });
    const client = await connect(s.port);
    const inFlight = get(client, "/");
    await until(() => finish !== null);
    const goaway = new Promise((resolve) => client.once("goaway", resolve));
    s.connections[0]!.close();
    await goaway;
    finish!();
    expect((await inFlight).body.toString()).toBe("finished");
    await until(() => s.closedConnections === 1);
  });

  it("an owner throwing in onStreamClose when the client goes away: the other streams and the connection still close", async () => {
    const s = await server((x) => {
      if (x.field(":path") === "/throws") x.onClose = () => {
        throw new Error("an owner's bug");
      };
    });
    const caught: unknown[] = [];
    const listeners = process.listeners("uncaughtException");
    process.removeAllListeners("uncaughtException");
    process.on("uncaughtException", (err) => caught.push(err));
    try {
      const client = await connect(s.port);
      for (const path of ["/throws", "/other"]) client.request({ ":path": path }).on("error", () => {});
      await until(() => s.exchanges.length === 2);
      client.destroy();
      await until(() => s.closedConnections === 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(s.exchanges.map((x) => x.closed)).toEqual([true, true]);
      expect(caught.map(String)).toEqual(["Error: an owner's bug"]); // rethrown, not swallowed
    } finally {
      process.removeAllListeners("uncaughtException");
      for (const l of listeners) process.on("uncaughtException", l);
    }
  });

  it("a client that goes away closes every open stream once, then the connection", async () => {
    const s = await server(() => {});
    const client = await connect(s.port);
    for (let i = 0; i < 5; i++) client.request({ ":path": `/${i}` }).on("error", () => {});
    await until(() => s.exchanges.length === 5);
    client.destroy();
    await until(() => s.closedConnections === 1);
    expect(s.exchanges.every((x) => x.closed)).toBe(true);
  });
});
