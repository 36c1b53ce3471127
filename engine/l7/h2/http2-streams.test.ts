import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import http2 from "node:http2";
import type net from "node:net";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { RecordingObserver } from "../../test-support/recording-observer";
import { LB_COOKIE_NAME } from "../sticky/lb-cookie";
import { httpPool, type HttpBackend } from "../test-support/http-fixture";
import { connectH2, h2Request, until } from "./test-support/h2-fixture";
import { useH2Suite } from "./test-support/h2-suite";

const run = promisify(execFile);
const suite = useH2Suite();

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

/** A backend that holds every response until `n` requests are in at once (each answered with its URL): only concurrent streams get through. */
const answeringAtOnce = (n: number) => {
  const waiting: (() => void)[] = [];
  return suite.backend("a", (req, res) => {
    waiting.push(() => res.end(req.url));
    if (waiting.length === n) for (const answer of waiting.splice(0)) answer();
  });
};

describe("HTTP/2 streams: multiplexing, flow control, resets", () => {
  it("100 concurrent streams on one connection are multiplexed onto pooled backend connections, reused by the next 100", async () => {
    const backend = await answeringAtOnce(100);
    const proxy = await suite.proxyTo(backend);
    const client = await suite.session(proxy.port);

    for (const round of [1, 2]) {
      const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => h2Request(client, { ":path": `/r${round}/${i}` })));
      expect(responses.map((r) => r.body.toString())).toEqual(Array.from({ length: 100 }, (_, i) => `/r${round}/${i}`));
      // HTTP/1.1 carries one request at a time: 100 at once need 100 backend connections, and the next round reuses them.
      expect(backend.connections).toBe(100);
    }
    expect(proxy.handler.sessionCount).toBe(1);
  });

  it("300 streams in flight over 3 sessions keep all 300 backend connections idle for the next 300 (no churn past 256)", async () => {
    const backend = await answeringAtOnce(300);
    const proxy = await suite.proxyTo(backend);
    const clients = [await suite.session(proxy.port), await suite.session(proxy.port), await suite.session(proxy.port)];
    for (let round = 0; round < 2; round++) {
      const all = clients.flatMap((client, c) => Array.from({ length: 100 }, (_, i) => h2Request(client, { ":path": `/${round}/${c}/${i}` })));
      expect((await Promise.all(all)).every((r) => r.status === 200)).toBe(true);
      expect(backend.connections).toBe(300);
    }
  });

  it("a 5 MiB request body and a 5 MiB response body pass with flow control (sha256 equal), echoed through one stream", async () => {
    const backend = await suite.backend("echo", (req, res) => {
      res.setHeader("Content-Length", req.headers["content-length"] ?? "0");
      req.pipe(res);
    });
    const proxy = await suite.proxyTo(backend);
    const client = await suite.session(proxy.port);

    const body = randomBytes(5 * 1024 * 1024);
    const res = await h2Request(client, { ":method": "POST", ":path": "/echo", "content-length": String(body.length) }, body);
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(body.length);
    expect(sha256(res.body)).toBe(sha256(body));

    // Without Content-Length the body goes chunked and still arrives whole.
    const chunkedBackend = await suite.backend("sum", (req, res) => {
      const hash = createHash("sha256");
      req.on("data", (c: Buffer) => hash.update(c));
      req.on("end", () => res.end(hash.digest("hex")));
    });
    const other = await suite.proxy(httpPool([{ id: "b", port: chunkedBackend.port }]));
    const second = await suite.session(other.port);
    const summed = await h2Request(second, { ":method": "POST", ":path": "/sum" }, body);
    expect(summed.body.toString()).toBe(sha256(body));
  });

  it("a client that stops reading holds the backend back (backpressure through the h2 window), then gets every byte", async () => {
    const total = 48 * 1024 * 1024;
    const payload = randomBytes(total);
    let written = 0;
    const backend = await suite.backend("big", (_req, res) => {
      res.setHeader("Content-Length", String(total));
      const step = 64 * 1024;
      const pump = () => {
        while (written < total) {
          const ok = res.write(payload.subarray(written, written + step));
          written += step;
          if (!ok) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    const proxy = await suite.proxyTo(backend);
    const client = await suite.session(proxy.port);

    const stream = client.request({ ":path": "/big" });
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.pause();
    await new Promise((resolve) => setTimeout(resolve, 600));
    // Kernel buffers on loopback and a few 16 KiB writes may hold some MiB, never the whole body.
    expect(written).toBeLessThan(total / 2);
    stream.resume();
    await new Promise((resolve) => stream.on("end", resolve));
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(payload));
  });

  it("a backend that stops reading holds the client's upload back (the proxy stops granting h2 window), then gets every byte", async () => {
    const total = 48 * 1024 * 1024;
    const payload = randomBytes(total);
    let request: import("node:http").IncomingMessage | null = null;
    const backend = await suite.backend("sink", (req, res) => {
      request = req;
      req.pause();
      const hash = createHash("sha256");
      req.on("data", (c: Buffer) => hash.update(c));
      req.on("end", () => res.end(hash.digest("hex")));
    });
    const observer = new RecordingObserver();
    const proxy = await suite.proxyTo(backend, {}, { observer });
    const client = await suite.session(proxy.port);

    const result = h2Request(client, { ":method": "PUT", ":path": "/upload", "content-length": String(total) }, payload);
    await until(() => request !== null);
    await new Promise((resolve) => setTimeout(resolve, 600));
    // What reached the proxy while the backend read nothing: kernel buffers and windows, never the whole body.
    expect(observer.total("bytesIn")).toBeLessThan(total / 2);
    (request as unknown as import("node:http").IncomingMessage).resume();
    expect((await result).body.toString()).toBe(sha256(payload));
  });

  it("RST_STREAM of one stream mid-response ends only its backend exchange (that connection is not reused); the other streams finish", async () => {
    const slowSockets: net.Socket[] = [];
    const backend = await suite.backend("a", (req, res) => {
      if (req.url === "/slow") {
        slowSockets.push(req.socket);
        res.writeHead(200, { "Content-Length": "1000000" });
        res.write("first part ");
        return; // never ends by itself
      }
      setTimeout(() => res.end(`done ${req.url}`), 150);
    });
    const observer = new RecordingObserver();
    const proxy = await suite.proxyTo(backend, {}, { observer });
    const client = await suite.session(proxy.port);

    const others = Array.from({ length: 9 }, (_, i) => h2Request(client, { ":path": `/o${i}` }));
    const slow = client.request({ ":path": "/slow" });
    slow.on("error", () => {});
    await new Promise((resolve) => slow.once("data", resolve)); // the response has started
    slow.close(http2.constants.NGHTTP2_CANCEL);
    await until(() => slowSockets[0]?.destroyed === true); // its backend connection is closed, not pooled
    const results = await Promise.all(others);
    expect(results.map((r) => `${r.status} ${r.body.toString()}`)).toEqual(Array.from({ length: 9 }, (_, i) => `200 done /o${i}`));
    const after = await h2Request(client, { ":path": "/after" });
    expect(after.body.toString()).toBe("done /after");
    const records = observer.of("request").map((r) => `${r.record.status} ${r.record.error ?? "-"}`);
    expect(records.filter((r) => r === "200 client_closed")).toHaveLength(1);
    expect(records.filter((r) => r === "200 -")).toHaveLength(10);
    expect(backend.seen.filter((s) => s.connection === backend.seen.find((x) => x.url === "/slow")!.connection)).toHaveLength(1);
  });

  it("a client connection that drops with streams in flight cancels each of them: backend connections closed, one requestDone each", async () => {
    const sockets: net.Socket[] = [];
    const backend = await suite.backend("a", (req) => {
      sockets.push(req.socket); // never answers
    });
    const observer = new RecordingObserver();
    const proxy = await suite.proxyTo(backend, {}, { observer });
    const client = await connectH2(proxy.port, suite.certificate);
    for (let i = 0; i < 5; i++) client.request({ ":path": `/${i}` }).on("error", () => {});
    await until(() => sockets.length === 5);
    client.destroy();
    await until(() => sockets.every((s) => s.destroyed));
    await until(() => proxy.handler.sessionCount === 0);
    expect(proxy.handler.streamCount).toBe(0);
    expect(observer.of("request").map((r) => r.record.error)).toEqual(Array(5).fill("client_closed"));
    expect(proxy.pool!.members[0]!.activeConnections).toBe(0);
  });

  it("the load balancer cookie sticks h2 streams to one member; without it round robin spreads them", async () => {
    const backends: HttpBackend[] = [];
    for (const name of ["a", "b", "c"]) backends.push(await suite.backend(name));
    const pool = httpPool(
      backends.map((b) => ({ id: b.name, port: b.port })),
      { stickySession: { type: "HTTP_COOKIE", cookieName: null, durationMinutes: 20 } },
    );
    const proxy = await suite.proxy(pool);
    const client = await suite.session(proxy.port);

    const first = await h2Request(client, { ":path": "/" });
    const setCookie = (first.headers["set-cookie"] as string[] | undefined)?.[0] ?? "";
    expect(setCookie).toMatch(new RegExp(`^${LB_COOKIE_NAME}=[A-Za-z0-9_-]+; Max-Age=1200; Path=/; HttpOnly$`));
    const cookie = setCookie.split(";")[0]!;
    const stuck = await Promise.all(Array.from({ length: 12 }, () => h2Request(client, { ":path": "/", cookie: ["theme=dark", cookie] })));
    expect(new Set(stuck.map((r) => r.body.toString()))).toEqual(new Set([first.body.toString()]));
    const spread = await Promise.all(Array.from({ length: 6 }, () => h2Request(client, { ":path": "/" })));
    expect(new Set(spread.map((r) => r.body.toString())).size).toBe(3);
  });

  it("the application cookie a backend sets is learned and routes the following h2 streams to it", async () => {
    const backends: HttpBackend[] = [];
    for (const name of ["a", "b", "c"]) {
      backends.push(
        await suite.backend(name, (req, res) => {
          if (req.url === "/login") res.setHeader("Set-Cookie", `SID=${name}-session; Path=/`);
          res.end(name);
        }),
      );
    }
    const pool = httpPool(
      backends.map((b) => ({ id: b.name, port: b.port })),
      { stickySession: { type: "APP_COOKIE", cookieName: "SID", durationMinutes: 20 } },
    );
    const proxy = await suite.proxy(pool);
    const client = await suite.session(proxy.port);

    const login = await h2Request(client, { ":path": "/login" });
    const member = login.body.toString();
    const answers = await Promise.all(Array.from({ length: 9 }, () => h2Request(client, { ":path": "/page", cookie: ["x=1", `SID=${member}-session`] })));
    expect(new Set(answers.map((r) => r.body.toString()))).toEqual(new Set([member]));
  });

  it("h2load -c8 -m10 -n2000 completes with 0 errors", async () => {
    const backend = await suite.backend("a");
    const proxy = await suite.proxyTo(backend);
    const { stdout } = await run("h2load", ["-c8", "-m10", "-n2000", `https://127.0.0.1:${proxy.port}/`], { timeout: 30_000 });
    expect(stdout).toContain("requests: 2000 total, 2000 started, 2000 done, 2000 succeeded, 0 failed, 0 errored, 0 timeout");
    expect(stdout).toContain("status codes: 2000 2xx, 0 3xx, 0 4xx, 0 5xx");
    expect(backend.seen).toHaveLength(2000);
  }, 40_000);
});
