import https from "node:https";
import http2 from "node:http2";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHttpsHandler } from "../listeners/https";
import { EngineRuntime } from "../runtime/engine-runtime";
import { freePort } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import { TEST_SECRET_KEY, createTestPki, toSnapshotCertificate, type TestPki } from "../test-support/test-certificates";
import { TicketKeys } from "../tls/ticket-keys";
import { clientIpSettings, startBackend, type HttpBackend, type SeenRequest } from "./test-support/http-fixture";

/**
 * Client IP headers through a whole-engine HTTPS listener (EngineRuntime → listeners/https.ts, which hands
 * the l7 handlers access-control's Trusted IPs compiler) over HTTP/1.1 (node:https) and HTTP/2 (ALPN h2,
 * node:http2), clients bound to 127.0.0.2 (trusted) and 127.0.0.3: the trusted peer's X-Real-IP names the
 * client, the other's is dropped; X-Forwarded-Proto says https. Certificates generated at run time.
 */

const TRUSTED_PEER = "127.0.0.2";
const OTHER_PEER = "127.0.0.3";
let pki: TestPki;
let backend: HttpBackend;
let port = 0;
let runtime: EngineRuntime;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  const server = await pki.server({ commonName: "localhost", sans: ["localhost"] });
  backend = await startBackend("b");
  port = await freePort();
  runtime = new EngineRuntime({
    handlerFactories: { HTTPS: (route) => createHttpsHandler(route, { tls: { secretKey: { key: TEST_SECRET_KEY, problem: null }, ticketKeys: new TicketKeys() } }) },
    drainGraceMs: 200,
  });
  const clientIp = clientIpSettings({ trustedIps: [TRUSTED_PEER], realIpHeader: "X_REAL_IP", xRealIp: true });
  const tls = { certificateId: "c", sniCertificateIds: [], caCertificateId: null, http2: true };
  const front = listener("l", port, "p", { protocol: "HTTPS", tls, clientIp });
  const result = await runtime.apply({ ...snapshot(1, [front], [pool("p", [member("m", backend.port)], { protocol: "HTTP" })]), certificates: [toSnapshotCertificate("c", server)] });
  expect(result.errors).toEqual([]);
}, 60_000);
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});
afterAll(async () => {
  await runtime?.stop(100);
  await backend?.close();
  await pki?.cleanup();
});

/** X-Real-IP and X-Forwarded-Proto as the backend received them (every field line). */
function sent(seen: SeenRequest): { realIp: string[]; proto: string[] } {
  const pick = (name: string) => seen.rawHeaders.filter((_, i) => i % 2 === 1 && seen.rawHeaders[i - 1]!.toLowerCase() === name);
  return { realIp: pick("x-real-ip"), proto: pick("x-forwarded-proto") };
}

/** One HTTPS/1.1 GET from `localAddress` claiming to be 198.51.100.20; what the backend saw. */
async function viaHttp1(localAddress: string): Promise<SeenRequest> {
  const before = backend.seen.length;
  await new Promise<void>((resolve, reject) => {
    const request = https.get(
      { host: "127.0.0.1", servername: "localhost", port, path: "/", localAddress, ca: pki.root.certPem, agent: false, headers: { "X-Real-IP": "198.51.100.20" }, timeout: 5000 },
      (response) => {
        response.resume();
        response.on("end", () => (response.statusCode === 200 ? resolve() : reject(new Error(`status ${response.statusCode}`))));
      },
    );
    request.on("timeout", () => request.destroy(new Error("no answer within 5 s")));
    request.on("error", reject);
  });
  return backend.seen[before]!;
}

/** One HTTP/2 stream from `localAddress` claiming to be 198.51.100.20; what the backend saw. */
async function viaHttp2(localAddress: string): Promise<SeenRequest> {
  const before = backend.seen.length;
  const options = { host: "127.0.0.1", servername: "localhost", localAddress, ca: pki.root.certPem }; // localAddress reaches net.connect
  const session = http2.connect(`https://localhost:${port}`, options);
  cleanups.push(() => void session.destroy());
  await new Promise<void>((resolve, reject) => {
    const stream = session.request({ ":path": "/", "x-real-ip": "198.51.100.20" });
    const timer = setTimeout(() => stream.destroy(new Error("no answer within 5 s")), 5000);
    stream.on("response", (headers) => expect(headers[":status"]).toBe(200));
    stream.resume();
    stream.on("end", () => (clearTimeout(timer), resolve()));
    stream.on("error", reject);
    session.on("error", reject);
  });
  return backend.seen[before]!;
}

describe("client IP headers on an HTTPS listener (HTTP/1.1 and HTTP/2)", () => {
  it("HTTP/1.1: a trusted peer's X-Real-IP names the client, an untrusted peer's is replaced by its own address", async () => {
    expect(sent(await viaHttp1(TRUSTED_PEER))).toEqual({ realIp: ["198.51.100.20"], proto: ["https"] });
    expect(sent(await viaHttp1(OTHER_PEER))).toEqual({ realIp: [OTHER_PEER], proto: ["https"] });
  });

  it("HTTP/2: the same per stream", async () => {
    expect(sent(await viaHttp2(TRUSTED_PEER))).toEqual({ realIp: ["198.51.100.20"], proto: ["https"] });
    expect(sent(await viaHttp2(OTHER_PEER))).toEqual({ realIp: [OTHER_PEER], proto: ["https"] });
  });
});
