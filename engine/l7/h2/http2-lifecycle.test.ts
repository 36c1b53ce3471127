import http from "node:http";
import { describe, expect, it } from "vitest";
import { RecordingObserver } from "../../test-support/recording-observer";
import { httpPool, request, startProxy, type HttpBackend } from "../test-support/http-fixture";
import { h2Request, startH2Proxy, until } from "./test-support/h2-fixture";
import { useH2Suite } from "./test-support/h2-suite";

const suite = useH2Suite();

describe("HTTP/2 handler: sharing, timeouts, idle sessions, drain", () => {
  it("shares backend connections and learned application cookies with the listener's HTTP/1.1 handler", async () => {
    const backends: HttpBackend[] = [];
    for (const name of ["a", "b", "c"]) {
      backends.push(
        await suite.backend(name, (req, res) => {
          if (req.url === "/login") res.setHeader("Set-Cookie", `SID=${name}-1; Path=/`);
          res.end(name);
        }),
      );
    }
    const pool = httpPool(
      backends.map((b) => ({ id: b.name, port: b.port })),
      { stickySession: { type: "APP_COOKIE", cookieName: "SID", durationMinutes: 20 } },
    );
    const http1 = await startProxy(pool);
    suite.defer(() => http1.close());
    const h2 = await suite.proxy(pool, {}, { shared: http1.handler.upstreams, runtime: http1.pool! });

    const agent = new http.Agent({ keepAlive: true });
    suite.defer(() => agent.destroy());
    const login = await request(http1.port, { path: "/login", agent }); // learned over HTTP/1.1
    const member = login.body;
    const client = await suite.session(h2.port);
    for (let i = 0; i < 6; i++) {
      const res = await h2Request(client, { ":path": "/page", cookie: `SID=${member}-1` });
      expect(res.body.toString()).toBe(member);
    }
    // One backend connection carried the HTTP/1.1 request and, from the shared idle pool, every h2 stream after it.
    expect(backends.find((b) => b.name === member)!.connections).toBe(1);
  });

  it("a backend that does not answer in responseTimeoutMs gets 504 on its stream; the session's other streams are served", async () => {
    const backend = await suite.backend("a", (req, res) => {
      if (req.url === "/hang") return; // never answers
      res.end("fast");
    });
    const observer = new RecordingObserver();
    const proxy = await suite.proxyTo(backend, { responseTimeoutMs: 300 }, { observer });
    const client = await suite.session(proxy.port);

    const started = Date.now();
    const [hung, fast] = await Promise.all([h2Request(client, { ":path": "/hang" }), h2Request(client, { ":path": "/fast" })]);
    expect(fast.body.toString()).toBe("fast");
    expect(hung.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(observer.of("error").map((e) => e.kind)).toEqual(["response_timeout"]);
    expect(proxy.handler.streamCount).toBe(0);
  });

  it("a request body that stalls past bodyTimeoutMs is answered 408 and the stream reset; the session stays", async () => {
    const backend = await suite.backend("a", (req, res) => {
      req.resume();
      req.on("end", () => res.end("got it"));
    });
    const proxy = await suite.proxyTo(backend, { bodyTimeoutMs: 300 });
    const client = await suite.session(proxy.port);

    const stream = client.request({ ":method": "POST", ":path": "/upload", "content-length": "100000" });
    stream.write(Buffer.alloc(40_000, 0x61)); // more than bufferBodyBytes: streamed, then silence
    stream.on("error", () => {});
    const status = await new Promise((resolve) => stream.on("response", (h) => resolve(h[":status"])));
    expect(status).toBe(408);
    expect((await h2Request(client, { ":path": "/next" })).body.toString()).toBe("got it");
  });

  it("closes a session idle for the listener's idle timeout with GOAWAY (reported closed), not one with a stream in flight", async () => {
    let answer: (() => void) | null = null;
    const backend = await suite.backend("a", (req, res) => {
      if (req.url === "/slow") answer = () => res.end("slow");
      else res.end("a");
    });
    const observer = new RecordingObserver();
    const proxy = await suite.proxyTo(backend, { responseTimeoutMs: 10_000 }, { observer, listener: { idleTimeoutSeconds: 1 } });
    const client = await suite.session(proxy.port);

    const slow = h2Request(client, { ":path": "/slow" });
    await new Promise((resolve) => setTimeout(resolve, 1600)); // longer than the idle timeout, but a stream is open
    expect(proxy.handler.sessionCount).toBe(1);
    answer!();
    expect((await slow).body.toString()).toBe("slow");
    const goaway = new Promise((resolve) => client.once("goaway", resolve));
    const closed = new Promise((resolve) => client.once("close", resolve));
    const idleFrom = Date.now();
    await goaway;
    await closed;
    expect(Date.now() - idleFrom).toBeGreaterThanOrEqual(900);
    await until(() => proxy.handler.sessionCount === 0);
    expect(observer.of("open")).toHaveLength(1);
    expect(observer.of("close")).toHaveLength(1);
  });

  it("drain: GOAWAY, the stream in flight finishes, then every session is closed", async () => {
    let answer: (() => void) | null = null;
    const backend = await suite.backend("a", (_req, res) => {
      answer = () => res.end("finished");
    });
    const proxy = await startH2Proxy(suite.certificate, httpPool([{ id: "a", port: backend.port }])); // closed by the test itself
    const client = await suite.session(proxy.port);

    const inFlight = h2Request(client, { ":path": "/" });
    await until(() => answer !== null);
    const goaway = new Promise((resolve) => client.once("goaway", resolve));
    const drained = proxy.close(5000);
    await goaway;
    answer!();
    expect((await inFlight).body.toString()).toBe("finished");
    await drained;
    expect(proxy.handler.sessionCount).toBe(0);
  });
});
