import { createHash } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { rawExchange, request, startBackend, startProxy, httpPool, type HttpBackend, type ProxyFixture } from "./test-support/http-fixture";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(backends: HttpBackend[]): Promise<ProxyFixture> {
  cleanup.push(...backends.map((b) => () => b.close()));
  const proxy = await startProxy(httpPool(backends.map((b) => ({ id: b.name, port: b.port }))));
  cleanup.push(() => proxy.close());
  return proxy;
}

describe("HTTP proxy: keep-alive and forwarding headers", () => {
  it("reuses connections on both sides and balances round robin", async () => {
    const a = await startBackend("a");
    const b = await startBackend("b");
    const proxy = await setup([a, b]);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanup.push(async () => agent.destroy());
    const clientSockets = new Set<net.Socket>();
    const bodies: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = http.get({ host: "127.0.0.1", port: proxy.port, path: `/r${i}`, agent }, resolve);
        req.on("socket", (s) => clientSockets.add(s));
        req.on("error", reject);
      });
      let body = "";
      for await (const chunk of res) body += chunk;
      expect(res.statusCode).toBe(200);
      bodies.push(body);
    }
    expect(clientSockets.size).toBe(1);
    expect(bodies.filter((x) => x === "a")).toHaveLength(10);
    expect(bodies.filter((x) => x === "b")).toHaveLength(10);
    // Backend side: each backend saw its 10 requests on a single reused connection.
    expect(new Set(a.seen.map((s) => s.connection)).size).toBe(1);
    expect(new Set(b.seen.map((s) => s.connection)).size).toBe(1);
    expect(a.connections + b.connections).toBe(2);
  });

  it("sets X-Forwarded-For/Proto exactly (Port and Host off by default, the client's dropped) and strips hop-by-hop headers", async () => {
    const a = await startBackend("a");
    const proxy = await setup([a]);
    const res = await request(proxy.port, {
      path: "/x?y=1",
      headers: {
        Host: "shop.example.com:8080",
        "X-Forwarded-For": "203.0.113.7, 198.51.100.2",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Port": "1",
        "X-Forwarded-Host": "evil",
        Connection: "keep-alive, X-Secret",
        "X-Secret": "hop",
        "Keep-Alive": "timeout=5",
        "Proxy-Connection": "keep-alive",
        TE: "trailers",
        Upgrade: "h2c",
        "X-Kept": "end-to-end",
      },
    });
    expect(res.status).toBe(200);
    const seen = a.seen[0]!;
    expect(seen.url).toBe("/x?y=1");
    expect(seen.headers["x-forwarded-for"]).toBe("203.0.113.7, 198.51.100.2, 127.0.0.1");
    expect(seen.headers["x-forwarded-proto"]).toBe("http");
    expect(seen.headers["x-forwarded-port"]).toBeUndefined(); // off by default; the client's "1" is dropped
    expect(seen.headers["x-forwarded-host"]).toBeUndefined(); // off by default; the client's "evil" is dropped
    expect(seen.headers.host).toBe("shop.example.com:8080");
    expect(seen.headers["x-kept"]).toBe("end-to-end");
    for (const hop of ["x-secret", "keep-alive", "proxy-connection", "te", "upgrade", "connection"]) {
      expect(seen.headers[hop], hop).toBeUndefined();
    }
    // Exactly one of each X-Forwarded-* reached the backend.
    const names = seen.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
    expect(names.filter((n) => n.startsWith("x-forwarded-")).sort()).toEqual(["x-forwarded-for", "x-forwarded-proto"]);
  });

  it("adds the client IP as the only X-Forwarded-For entry when none was sent", async () => {
    const a = await startBackend("a");
    const proxy = await setup([a]);
    await request(proxy.port);
    expect(a.seen[0]!.headers["x-forwarded-for"]).toBe("127.0.0.1");
  });

  it("answers pipelined requests in order on one connection", async () => {
    const a = await startBackend("a", (req, res) => {
      req.resume();
      res.end(`you asked ${req.url}`);
    });
    const proxy = await setup([a]);
    const pipelined = ["/1", "/2", "/3"].map((p) => `GET ${p} HTTP/1.1\r\nHost: h\r\n\r\n`).join("") + "GET /4 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
    const { text, closed } = await rawExchange(proxy.port, pipelined);
    expect(closed).toBe(true);
    const order = [...text.matchAll(/you asked (\/\d)/g)].map((m) => m[1]);
    expect(order).toEqual(["/1", "/2", "/3", "/4"]);
    expect(text.match(/HTTP\/1\.1 200/g)).toHaveLength(4);
  });

  it("keeps an HTTP/1.0 client alive only when it asks, and answers it in 1.0 terms", async () => {
    const a = await startBackend("a", (req, res) => {
      req.resume();
      res.setHeader("Content-Length", "1");
      res.end("a");
    });
    const proxy = await setup([a]);
    const { text, closed } = await rawExchange(proxy.port, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 500);
    expect(closed).toBe(false);
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text.toLowerCase()).toContain("connection: keep-alive");
    const once = await rawExchange(proxy.port, "GET / HTTP/1.0\r\n\r\n");
    expect(once.closed).toBe(true);
    expect(once.text).toMatch(/^HTTP\/1\.1 200/);
  });

  it("streams several MB of chunked request and response bodies intact", async () => {
    const size = 6 * 1024 * 1024;
    const payload = Buffer.alloc(size);
    for (let i = 0; i < size; i++) payload[i] = (i * 31 + 7) & 0xff;
    const digest = createHash("sha256").update(payload).digest("hex");
    const a = await startBackend("a", (req, res) => {
      const hash = createHash("sha256");
      let bytes = 0;
      req.on("data", (c: Buffer) => {
        hash.update(c);
        bytes += c.length;
      });
      req.on("end", () => {
        res.setHeader("X-Upload-Sha256", hash.digest("hex"));
        res.setHeader("X-Upload-Bytes", String(bytes));
        res.setHeader("X-Upload-Encoding", String(req.headers["transfer-encoding"]));
        // Echo back chunked, in uneven pieces.
        let offset = 0;
        const step = () => {
          while (offset < size) {
            const n = Math.min(size - offset, 100_000 + (offset % 7919));
            const ok = res.write(payload.subarray(offset, offset + n));
            offset += n;
            if (!ok) return void res.once("drain", step);
          }
          res.end();
        };
        step();
      });
    });
    const proxy = await setup([a]);
    const result = await new Promise<{ headers: http.IncomingHttpHeaders; hash: string; bytes: number }>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port: proxy.port, method: "POST", path: "/upload" }, (res) => {
        const hash = createHash("sha256");
        let bytes = 0;
        res.on("data", (c: Buffer) => {
          hash.update(c);
          bytes += c.length;
        });
        res.on("end", () => resolve({ headers: res.headers, hash: hash.digest("hex"), bytes }));
      });
      req.on("error", reject);
      // No Content-Length: node sends the body chunked.
      for (let off = 0; off < size; off += 65_536) req.write(payload.subarray(off, off + 65_536));
      req.end();
    });
    expect(result.headers["x-upload-encoding"]).toBe("chunked");
    expect(result.headers["x-upload-bytes"]).toBe(String(size));
    expect(result.headers["x-upload-sha256"]).toBe(digest);
    expect(result.headers["transfer-encoding"]).toBe("chunked");
    expect(result.bytes).toBe(size);
    expect(result.hash).toBe(digest);
  });

  it("sends no body for HEAD, 204 and 304 and keeps the connection usable", async () => {
    const a = await startBackend("a", (req, res) => {
      req.resume();
      if (req.url === "/204") return void res.writeHead(204).end();
      if (req.url === "/304") return void res.writeHead(304, { ETag: '"x"' }).end();
      res.setHeader("Content-Length", "5");
      res.end(req.method === "HEAD" ? undefined : "hello");
    });
    const proxy = await setup([a]);
    const payload =
      "HEAD / HTTP/1.1\r\nHost: h\r\n\r\nGET /204 HTTP/1.1\r\nHost: h\r\n\r\nGET /304 HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
    const { text } = await rawExchange(proxy.port, payload);
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
    expect(statuses).toEqual(["200", "204", "304", "200"]);
    expect(text.endsWith("hello")).toBe(true);
    expect(text.split("hello")).toHaveLength(2);
  });

  it("forwards 100-continue before the body is sent", async () => {
    const a = await startBackend("a", (req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => res.end(`got ${body}`));
    });
    const proxy = await setup([a]);
    const response = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        { host: "127.0.0.1", port: proxy.port, method: "PUT", headers: { Expect: "100-continue", "Content-Length": "4" } },
        (res) => {
          let text = "";
          res.on("data", (c) => (text += c));
          res.on("end", () => resolve(text));
        },
      );
      req.on("continue", () => req.end("data"));
      req.on("error", reject);
    });
    expect(response).toBe("got data");
  });
});
