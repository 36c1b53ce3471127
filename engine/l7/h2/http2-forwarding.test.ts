import { execFile } from "node:child_process";
import http2 from "node:http2";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { freePort } from "../../test-support/backends";
import { RecordingObserver } from "../../test-support/recording-observer";
import { createPoolRuntime } from "../../pools/pool-runtime";
import type { PoolRuntime } from "../../pools/pool-runtime.types";
import { ALL_FORWARDED, httpListener, httpPool } from "../test-support/http-fixture";
import { h2Request, until } from "./test-support/h2-fixture";
import { useH2Suite } from "./test-support/h2-suite";

const run = promisify(execFile);
const suite = useH2Suite();

describe("HTTP/2 streams forwarded onto HTTP/1.1 backends", () => {
  it("curl --http2 negotiates h2 and gets the backend's answer; the backend sees HTTP/1.1 with Host and X-Forwarded-* (proto https)", async () => {
    const backend = await suite.backend("app-a");
    const proxy = await suite.proxyTo(backend, {}, { listener: { clientIp: ALL_FORWARDED } });

    const url = `https://localhost:${proxy.port}/shop/cart?item=7&x=%20y`;
    const { stdout } = await run(
      "curl",
      ["-sk", "--http2", "--resolve", `localhost:${proxy.port}:127.0.0.1`, "-H", "Cookie: a=1", "-H", "Cookie: b=2", "-H", "X-Forwarded-For: 10.9.8.7", "-H", "X-Forwarded-Proto: ftp", "-w", "\n%{http_version} %{http_code}", url],
      { timeout: 10_000 },
    );
    expect(stdout).toBe("app-a\n2 200");
    const seen = backend.seen[0]!;
    expect(seen.url).toBe("/shop/cart?item=7&x=%20y");
    expect(seen.headers.host).toBe(`localhost:${proxy.port}`);
    expect(seen.headers["x-forwarded-proto"]).toBe("https");
    expect(seen.headers["x-forwarded-port"]).toBe(String(proxy.port));
    expect(seen.headers["x-forwarded-for"]).toBe("10.9.8.7, 127.0.0.1");
    expect(seen.headers["x-forwarded-host"]).toBe(`localhost:${proxy.port}`);
    expect(seen.headers.cookie).toBe("a=1; b=2"); // RFC 9113 §8.2.3: crumbs joined for HTTP/1.1
    expect(seen.rawHeaders.filter((h) => h.toLowerCase() === "cookie")).toHaveLength(1);
    expect(seen.rawHeaders.filter((h) => h.toLowerCase() === "x-forwarded-proto")).toHaveLength(1);
  });

  it("relays status and fields lowercased, without hop-by-hop ones, a chunked body de-chunked, Set-Cookie kept apart", async () => {
    const backend = await suite.backend("a", (req, res) => {
      res.setHeader("X-Custom", "yes");
      res.setHeader("Set-Cookie", ["s=1; Path=/", "t=2; Path=/"]);
      res.setHeader("Keep-Alive", "timeout=5");
      res.writeHead(201);
      res.write("part one,");
      setTimeout(() => res.end(" part two"), 20);
    });
    const proxy = await suite.proxyTo(backend);
    const session = await suite.session(proxy.port);

    const res = await h2Request(session, { ":path": "/x" });
    expect(res.status).toBe(201);
    expect(res.body.toString()).toBe("part one, part two");
    expect(res.headers["x-custom"]).toBe("yes");
    expect(res.headers["set-cookie"]).toEqual(["s=1; Path=/", "t=2; Path=/"]);
    for (const name of ["connection", "keep-alive", "transfer-encoding"]) expect(res.headers[name]).toBeUndefined();
  });

  it("merges repeated fields case-insensitively (a single-value field sent twice still makes one h2 field)", async () => {
    const backend = await suite.backend("a", (_req, res) => {
      res.socket!.write("HTTP/1.1 503 Busy\r\nRetry-After: 5\r\nretry-after: 6\r\nX-Many: a\r\nx-many: b\r\nContent-Length: 4\r\n\r\nbusy");
    });
    const proxy = await suite.proxyTo(backend);
    const session = await suite.session(proxy.port);
    const res = await h2Request(session, { ":path": "/" });
    expect([res.status, res.headers["retry-after"], res.headers["x-many"], res.body.toString()]).toEqual([503, "5, 6", "a, b", "busy"]);
  });

  it("relays a body framed until the backend closes (no length, no chunking) whole, then ends the stream", async () => {
    const backend = await suite.backend("a", (_req, res) => {
      const socket = res.socket!;
      socket.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nfirst,");
      setTimeout(() => socket.end(" last"), 20);
    });
    const observer = new RecordingObserver();
    const proxy = await suite.proxyTo(backend, {}, { observer });
    const session = await suite.session(proxy.port);
    const stream = session.request({ ":path": "/" });
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("error", () => {});
    await new Promise((resolve) => stream.on("close", resolve));
    expect(Buffer.concat(chunks).toString()).toBe("first, last");
    // Finished, not aborted as a backend reset (the client alone cannot tell: it sees END_STREAM either way).
    expect(observer.of("request").map((r) => [r.record.status, r.record.error])).toEqual([[200, null]]);
  });

  it("a backend that dies mid-body resets the stream with INTERNAL_ERROR: the client never takes the cut body as complete", async () => {
    const backend = await suite.backend("a", (req, res) => {
      if (req.url !== "/cut") return void res.end("whole");
      const socket = res.socket!;
      socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n");
      setTimeout(() => socket.destroy(), 20);
    });
    const proxy = await suite.proxyTo(backend);
    const session = await suite.session(proxy.port);
    const stream = session.request({ ":path": "/cut" });
    let ended = false;
    stream.on("data", () => {});
    stream.on("end", () => (ended = true));
    stream.on("error", () => {});
    await new Promise((resolve) => stream.on("close", resolve));
    expect([stream.rstCode, ended]).toEqual([http2.constants.NGHTTP2_INTERNAL_ERROR, false]);
    expect((await h2Request(session, { ":path": "/next" })).body.toString()).toBe("whole"); // the session goes on
  });

  it("forwards request bodies: a small Content-Length one whole, one without length chunked; both arrive intact", async () => {
    const backend = await suite.backend("a", (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => res.end(`${req.headers["content-length"] ?? "-"} ${req.headers["transfer-encoding"] ?? "-"} ${Buffer.concat(chunks).toString()}`));
    });
    const proxy = await suite.proxyTo(backend);
    const session = await suite.session(proxy.port);

    const sized = await h2Request(session, { ":method": "POST", "content-length": "11" }, "hello world");
    expect(sized.body.toString()).toBe("11 - hello world");

    const stream = session.request({ ":method": "PUT", ":path": "/up" });
    stream.write("first ");
    setTimeout(() => stream.end("second"), 30);
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    await new Promise((resolve) => stream.on("end", resolve));
    expect(Buffer.concat(chunks).toString()).toBe("- chunked first second");
  });

  it("answers 502 on the stream when the backend is down, 503 without a group; the session stays usable and each stream is one requestDone", async () => {
    const observer = new RecordingObserver();
    const proxy = await suite.proxy(httpPool([{ id: "down", port: await freePort() }]), {}, { observer });
    const session = await suite.session(proxy.port);

    const res = await h2Request(session, { ":path": "/" });
    expect(res.status).toBe(502);
    expect(res.headers.server).toBe("elb");
    expect(res.body.toString()).toContain("502 Bad Gateway");
    const head = await h2Request(session, { ":method": "HEAD", ":path": "/" });
    expect(head.status).toBe(502);
    expect(head.body.length).toBe(0);
    expect(observer.of("request").map((r) => [r.record.method, r.record.status, r.record.error])).toEqual([
      ["GET", 502, "connect_failed"],
      ["HEAD", 502, "connect_failed"],
    ]);

    const empty = await suite.proxy(null);
    const other = await suite.session(empty.port);
    expect((await h2Request(other, { ":path": "/" })).status).toBe(503);
  });

  it("refuses CONNECT (no extended CONNECT is offered) with 405 on the stream", async () => {
    const backend = await suite.backend("a");
    const proxy = await suite.proxyTo(backend);
    const session = await suite.session(proxy.port);
    const stream = session.request({ ":method": "CONNECT", ":authority": "example.test:443" });
    const status = await new Promise((resolve) => stream.on("response", (h) => resolve(h[":status"])));
    stream.close();
    expect(status).toBe(405);
    expect(backend.seen).toEqual([]);
  });

  it("a request larger than maxBodyBytes gets 413 without reaching the backend (nor changing its member's count)", async () => {
    let answer: (() => void) | null = null;
    const backend = await suite.backend("a", (_req, res) => {
      answer = () => res.end("held");
    });
    const proxy = await suite.proxyTo(backend, { maxBodyBytes: 1000 });
    const session = await suite.session(proxy.port);
    const member = proxy.pool!.members[0]!;
    const held = h2Request(session, { ":path": "/held" });
    await until(() => answer !== null);
    expect(member.activeConnections).toBe(1);
    const res = await h2Request(session, { ":method": "POST", "content-length": "2000" }, Buffer.alloc(2000, 0x61));
    expect(res.status).toBe(413);
    expect(backend.seen.map((s) => s.url)).toEqual(["/held"]);
    expect(member.activeConnections).toBe(1); // chosen at the head but never counted: not released either
    answer!();
    expect((await held).body.toString()).toBe("held");
  });

  it("a header list over maxHeaderCount fields or maxHeadBytes is refused (RST_STREAM ENHANCE_YOUR_CALM), the session stays usable", async () => {
    const backend = await suite.backend("a");
    const proxy = await suite.proxyTo(backend);
    const session = await suite.session(proxy.port);
    const many: Record<string, string> = { ":path": "/many" };
    for (let i = 0; i < 110; i++) many[`x-field-${i}`] = "v";
    for (const headers of [many, { ":path": "/big", "x-big": "v".repeat(40_000) }]) {
      const stream = session.request(headers);
      stream.on("error", () => {});
      stream.resume();
      await new Promise((resolve) => stream.on("close", resolve));
      expect(stream.rstCode).toBe(11); // NGHTTP2_ENHANCE_YOUR_CALM
    }
    expect((await h2Request(session, { ":path": "/fine" })).body.toString()).toBe("a");
    expect(backend.seen.map((s) => s.url)).toEqual(["/fine"]);
  });

  it("forwarding policies route h2 streams by :path and :authority, as HTTP/1 requests", async () => {
    const pools = new Map<string, PoolRuntime>();
    for (const group of ["default", "api", "img"]) {
      const backend = await suite.backend(group);
      pools.set(group, createPoolRuntime(httpPool([{ id: group, port: backend.port }], { id: group, name: group })));
    }
    const proxy = await suite.proxy(null);
    const forwardingPolicies = [
      { id: "fp-1", domainName: null, url: "/api", match: "PREFIX" as const, poolId: "api" },
      { id: "fp-2", domainName: "img.example.test", url: null, match: "PREFIX" as const, poolId: "img" },
    ];
    const policyPools = new Map([...pools].filter(([id]) => id !== "default"));
    proxy.handler.update({ listener: httpListener(proxy.port, { protocol: "HTTPS", defaultPoolId: "default", forwardingPolicies }), pool: pools.get("default")!, policyPools });
    const session = await suite.session(proxy.port);
    const reached = async (path: string, authority = "www.example.test") => (await h2Request(session, { ":path": path, ":authority": authority })).body.toString();
    expect(await reached("/api/users?x=1")).toBe("api");
    expect(await reached("/api")).toBe("api");
    expect(await reached("/", "img.example.test")).toBe("img");
    expect(await reached("/other")).toBe("default");
  });
});
