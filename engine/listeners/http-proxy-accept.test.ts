import http2 from "node:http2";
import net from "node:net";
import tls from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startBackend, type HttpBackend } from "../l7/test-support/http-fixture";
import { DEFAULT_CLIENT_IP, type Snapshot, type SnapshotClientIp, type SnapshotListener } from "../protocol/snapshot.types";
import { EngineRuntime } from "../runtime/engine-runtime";
import { DEFAULT_HANDLER_FACTORIES } from "../runtime/listener-set";
import { freePort, waitFor } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import { headerFirstStream, proxyV1, proxyV2 } from "../test-support/proxy-accept-client";
import { RecordingObserver } from "../test-support/recording-observer";
import { TEST_SECRET_KEY, createTestPki, toSnapshotCertificate, type TestCertificate, type TestPki } from "../test-support/test-certificates";
import { TicketKeys } from "../tls/ticket-keys";
import type { TlsEnvironment } from "../tls/tls-environment";
import { createHttpsHandler } from "./https";

/**
 * PROXY protocol accept on HTTP and HTTPS listeners (issue 10 item 3): the header's source reaches the
 * backend as X-Forwarded-For (what a node:http backend received is checked), TLS (HTTP/1.1 and h2 by
 * ALPN) works after a header sent in the ClientHello's segment or apart from it, and refused peers
 * reach neither TLS nor the backend. Real engine runtime, real clients from distinct 127.x addresses.
 */
const PROXY = "127.0.0.5";
const STRANGER = "127.0.0.6";
const NAME = "app.example.test";

let pki: TestPki;
let cert: TestCertificate;
let backend: HttpBackend;
const environment: TlsEnvironment = { secretKey: { key: TEST_SECRET_KEY, problem: null }, ticketKeys: new TicketKeys() };

beforeAll(async () => {
  pki = await createTestPki();
  cert = await pki.server({ commonName: NAME });
  backend = await startBackend("b1", (req, res) => {
    req.resume();
    req.on("end", () => res.end(`xff=${String(req.headers["x-forwarded-for"])}`));
  });
}, 60_000);
afterAll(async () => {
  await backend?.close();
  await pki?.cleanup();
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const CLIENT_IP: SnapshotClientIp = { ...DEFAULT_CLIENT_IP, proxyProtocolAccept: true, trustedIps: [PROXY] };

/** A runtime with one HTTP or HTTPS (HTTP/2 on) listener with PROXY accept, forwarding to the backend. */
async function engine(protocol: "HTTP" | "HTTPS", overrides: Partial<SnapshotListener> = {}) {
  const port = await freePort();
  const observer = new RecordingObserver();
  const rt = new EngineRuntime({ handlerFactories: { ...DEFAULT_HANDLER_FACTORIES, HTTPS: (route) => createHttpsHandler(route, { tls: environment }) }, observer, drainGraceMs: 200 });
  cleanups.push(() => rt.stop(100));
  const tlsSettings = protocol === "HTTPS" ? { certificateId: "cert", sniCertificateIds: [], caCertificateId: null, http2: true } : undefined;
  const l = listener("l1", port, "p", { protocol, tls: tlsSettings, clientIp: CLIENT_IP, idleTimeoutSeconds: 60, ...overrides });
  const s: Snapshot = { ...snapshot(1, [l], [pool("p", [member("m1", backend.port)], { protocol: "HTTP" })]), certificates: [toSnapshotCertificate("cert", cert)] };
  expect((await rt.apply(s)).errors).toEqual([]);
  return { port, observer };
}

/** Bytes `payload` (after `header`) from `localAddress`; resolves with everything read until the engine closes. */
function rawFrom(port: number, localAddress: string, header: string | Buffer | null, payload: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1", localAddress });
    cleanups.push(() => socket.destroy());
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("latin1"));
    });
    socket.write(Buffer.concat([header === null ? Buffer.alloc(0) : Buffer.from(header), Buffer.from(payload)]));
  });
}

const TWO_REQUESTS = "GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

/** The X-Forwarded-For values the backend received since `from`. */
function forwardedFor(from: number): string[] {
  return backend.seen.slice(from).map((s) => String(s.headers["x-forwarded-for"]));
}

/** One HTTP/1.1 request over TLS on a stream that sends `header` first; resolves with the response text. */
function httpsVia(port: number, header: string | Buffer, split: boolean): Promise<{ text: string }> {
  return new Promise((resolve, reject) => {
    const { stream, tcp } = headerFirstStream(port, PROXY, header, split);
    cleanups.push(() => tcp.destroy());
    const secure = tls.connect({ socket: stream, servername: NAME, ca: pki.root.certPem, ALPNProtocols: ["http/1.1"] });
    let text = "";
    secure.setEncoding("utf8");
    secure.on("secureConnect", () => secure.write(`GET /tls HTTP/1.1\r\nHost: ${NAME}\r\nConnection: close\r\n\r\n`));
    secure.on("data", (c: string) => (text += c));
    secure.on("end", () => resolve({ text }));
    secure.on("error", reject);
    setTimeout(() => reject(new Error("https request timed out")), 5000).unref();
  });
}

describe("PROXY protocol accept on HTTP listeners", () => {
  it("the backend receives the header's source in X-Forwarded-For, for every request of the connection (v1, v2, IPv6)", async () => {
    const { port, observer } = await engine("HTTP");
    const from = backend.seen.length;
    expect(await rawFrom(port, PROXY, proxyV1("203.0.113.7", 40001), TWO_REQUESTS)).toContain("xff=203.0.113.7");
    await rawFrom(port, PROXY, proxyV2("198.51.100.9", 40002), TWO_REQUESTS);
    await rawFrom(port, PROXY, proxyV2("2001:db8::7", 40003), TWO_REQUESTS);
    expect(forwardedFor(from)).toEqual(["203.0.113.7", "203.0.113.7", "198.51.100.9", "198.51.100.9", "2001:db8::7", "2001:db8::7"]);
    expect(observer.of("open").map((e) => e.clientAddress)).toEqual(["203.0.113.7", "198.51.100.9", "2001:db8::7"]);
  });

  it("an untrusted peer sending a header and a trusted one without a header are closed unanswered; the backend receives nothing", async () => {
    const { port, observer } = await engine("HTTP");
    const from = backend.seen.length;
    expect(await rawFrom(port, STRANGER, proxyV1("203.0.113.7", 40001), TWO_REQUESTS)).toBe("");
    expect(await rawFrom(port, PROXY, null, TWO_REQUESTS)).toBe("");
    expect(await rawFrom(port, PROXY, "PROXY TCP4 203.0.113.7 127.0.0.1 1 99999\r\n", TWO_REQUESTS)).toBe("");
    expect(backend.seen.length).toBe(from);
    expect(observer.of("error").map((e) => e.kind)).toEqual(["proxy_protocol", "proxy_protocol", "proxy_protocol"]);
    // An untrusted peer without a header is an ordinary client: its own address is forwarded.
    expect(await rawFrom(port, STRANGER, null, TWO_REQUESTS)).toContain(`xff=${STRANGER}`);
    expect(forwardedFor(from)).toEqual([STRANGER, STRANGER]);
  });
});

describe("PROXY protocol accept and the client's own headers", () => {
  it("a client behind the trusted L4 proxy is not trusted for X-Forwarded-For / X-Real-IP unless it is in Trusted IPs itself", async () => {
    const spoof = "X-Forwarded-For: 6.6.6.6\r\nX-Real-IP: 6.6.6.6\r\n";
    const oneRequest = `GET /spoof HTTP/1.1\r\nHost: x\r\n${spoof}Connection: close\r\n\r\n`;
    const headersOf = (from: number) => backend.seen.slice(from).map((r) => [String(r.headers["x-forwarded-for"]), String(r.headers["x-real-ip"])]);
    // Trusted-only: the chain the client wrote is dropped, the header's client is the whole X-Forwarded-For.
    const trustedOnly = await engine("HTTP", { clientIp: { ...CLIENT_IP, xForwardedForTrustedOnly: true, xRealIp: true } });
    let from = backend.seen.length;
    await rawFrom(trustedOnly.port, PROXY, proxyV1("198.51.100.7", 40001), oneRequest);
    expect(headersOf(from)).toEqual([["198.51.100.7", "198.51.100.7"]]);
    // Real IP Header X-Forwarded-For: not believed from 198.51.100.7 (untrusted), so it stays the client.
    const realIp = await engine("HTTP", { clientIp: { ...CLIENT_IP, realIpHeader: "X_FORWARDED_FOR", xForwardedFor: "REPLACE", xRealIp: true } });
    from = backend.seen.length;
    await rawFrom(realIp.port, PROXY, proxyV1("198.51.100.7", 40002), oneRequest);
    expect(headersOf(from)).toEqual([["198.51.100.7", "198.51.100.7"]]);
    // A client the header names that is itself trusted (an L7 proxy behind the L4 one) is believed.
    const chained = await engine("HTTP", { clientIp: { ...CLIENT_IP, trustedIps: [PROXY, "198.51.100.0/24"], realIpHeader: "X_FORWARDED_FOR", xForwardedFor: "REPLACE", xRealIp: true } });
    from = backend.seen.length;
    await rawFrom(chained.port, PROXY, proxyV1("198.51.100.7", 40003), oneRequest);
    expect(headersOf(from)).toEqual([["6.6.6.6", "6.6.6.6"]]);
  });
});

describe("PROXY protocol accept on HTTPS listeners", () => {
  it("TLS works after a header in the ClientHello's segment and after one sent apart; the backend sees the header's source", async () => {
    const { port, observer } = await engine("HTTPS");
    const from = backend.seen.length;
    const together = await httpsVia(port, proxyV2("203.0.113.7", 40001), false);
    expect(together.text).toMatch(/^HTTP\/1\.1 200/);
    expect(together.text).toContain("xff=203.0.113.7");
    const split = await httpsVia(port, proxyV1("2001:db8::9", 40002), true);
    expect(split.text).toContain("xff=2001:db8::9");
    expect(forwardedFor(from)).toEqual(["203.0.113.7", "2001:db8::9"]);
    expect(observer.of("error")).toEqual([]);
  });

  it("h2 over HTTPS after a header: every stream carries the header's source", async () => {
    const { port } = await engine("HTTPS");
    const from = backend.seen.length;
    const { stream, tcp } = headerFirstStream(port, PROXY, proxyV2("198.51.100.23", 40003), false);
    cleanups.push(() => tcp.destroy());
    const session = http2.connect(`https://${NAME}:${port}`, {
      createConnection: () => tls.connect({ socket: stream, servername: NAME, ca: pki.root.certPem, ALPNProtocols: ["h2"] }),
    });
    cleanups.push(() => session.destroy());
    const get = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const req = session.request({ ":path": path });
        let body = "";
        req.setEncoding("utf8");
        req.on("data", (c: string) => (body += c));
        req.on("end", () => resolve(body));
        req.on("error", reject);
        req.end();
      });
    expect(await Promise.all([get("/a"), get("/b"), get("/c")])).toEqual(["xff=198.51.100.23", "xff=198.51.100.23", "xff=198.51.100.23"]);
    expect(forwardedFor(from)).toEqual(["198.51.100.23", "198.51.100.23", "198.51.100.23"]);
  });

  it("an untrusted peer's header is refused before any TLS work: no ServerHello, no tls_handshake error, nothing at the backend", async () => {
    const { port, observer } = await engine("HTTPS");
    const from = backend.seen.length;
    const { stream, tcp } = headerFirstStream(port, STRANGER, proxyV1("203.0.113.7", 40001), false);
    cleanups.push(() => tcp.destroy());
    const secure = tls.connect({ socket: stream, servername: NAME, ca: pki.root.certPem });
    let received = 0;
    tcp.on("data", (c: Buffer) => (received += c.length));
    const outcome = await new Promise<string>((resolve) => {
      secure.on("error", (err) => resolve(err.message));
      secure.on("secureConnect", () => resolve("handshake completed"));
    });
    expect(outcome).toMatch(/socket disconnected|ECONNRESET|closed/i);
    await waitFor(() => tcp.destroyed, 2000, "engine closed the connection");
    expect(received).toBe(0);
    expect(backend.seen.length).toBe(from);
    expect(observer.of("error").map((e) => e.kind)).toEqual(["proxy_protocol"]);
  });
});
