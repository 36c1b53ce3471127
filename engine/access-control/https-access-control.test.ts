import net from "node:net";
import tls from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startBackend, type HttpBackend } from "../l7/test-support/http-fixture";
import { createHttpsHandler } from "../listeners/https";
import type { Snapshot } from "../protocol/snapshot.types";
import { EngineRuntime } from "../runtime/engine-runtime";
import { freePort } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import { RecordingObserver } from "../test-support/recording-observer";
import { TEST_SECRET_KEY, createTestPki, toSnapshotCertificate, type TestPki } from "../test-support/test-certificates";
import { TicketKeys } from "../tls/ticket-keys";
import type { TlsEnvironment } from "../tls/tls-environment";

/**
 * Access control on an HTTPS listener: a real engine runtime, real TLS clients bound to different
 * 127.x source addresses; a refused client is closed at accept, before any TLS work (no ServerHello).
 */
let pki: TestPki;
let backend: HttpBackend;
let certificatePem = "";
const environment: TlsEnvironment = { secretKey: { key: TEST_SECRET_KEY, problem: null }, ticketKeys: new TicketKeys() };
const snapshotCertificates: NonNullable<Snapshot["certificates"]> = [];

beforeAll(async () => {
  pki = await createTestPki();
  const server = await pki.server({ commonName: "shop.example.test" });
  certificatePem = pki.root.certPem;
  snapshotCertificates.push(toSnapshotCertificate("cert", server));
  backend = await startBackend("web");
}, 60_000);
afterAll(async () => {
  await backend?.close();
  await pki?.cleanup();
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** GET / over TLS from `localAddress`: the response's status line, or the error that ended the connection. */
function httpsGet(port: number, localAddress: string): Promise<{ statusLine: string; handshook: boolean } | { error: string; handshook: boolean }> {
  return new Promise((resolve) => {
    let handshook = false;
    let text = "";
    const tcp = net.connect({ host: "127.0.0.1", port, localAddress }); // the source address; TLS runs over it
    const socket = tls.connect({ socket: tcp, servername: "shop.example.test", ca: certificatePem }, () => {
      handshook = true;
      socket.write("GET / HTTP/1.1\r\nHost: shop.example.test\r\nConnection: close\r\n\r\n");
    });
    const timer = setTimeout(() => socket.destroy(new Error("timed out")), 5000);
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (text += chunk));
    socket.on("error", (err) => {
      clearTimeout(timer);
      resolve({ error: err.message, handshook });
    });
    socket.on("close", () => {
      clearTimeout(timer);
      if (text !== "") resolve({ statusLine: text.split("\r\n")[0]!, handshook });
      else resolve({ error: "closed", handshook });
    });
  });
}

describe("access control on an HTTPS listener", () => {
  it("admits whitelisted sources through TLS; refuses others at accept, before any handshake", async () => {
    const port = await freePort();
    const observer = new RecordingObserver();
    const rt = new EngineRuntime({ handlerFactories: { HTTPS: (route) => createHttpsHandler(route, { tls: environment }) }, observer, drainGraceMs: 200 });
    cleanups.push(() => rt.stop(100));
    const tlsSettings = { certificateId: "cert", sniCertificateIds: [], caCertificateId: null, http2: false };
    const l = listener("s1", port, "p", { protocol: "HTTPS", tls: tlsSettings, idleTimeoutSeconds: 60, accessControl: { whitelist: ["127.0.0.2", "127.0.1.0/24"] } });
    const result = await rt.apply({ ...snapshot(1, [l], [pool("p", [member("m", backend.port)], { protocol: "HTTP" })]), certificates: snapshotCertificates });
    expect(result.errors).toEqual([]);

    expect(await httpsGet(port, "127.0.0.2")).toEqual({ statusLine: "HTTP/1.1 200 OK", handshook: true });
    expect(await httpsGet(port, "127.0.1.200")).toEqual({ statusLine: "HTTP/1.1 200 OK", handshook: true });
    const seen = backend.seen.length;
    observer.events.length = 0;

    const refused = await httpsGet(port, "127.0.0.3");
    expect(refused.handshook).toBe(false);
    expect("error" in refused).toBe(true);
    expect(backend.seen.length).toBe(seen);
    expect(observer.of("error").map((e) => e.kind)).toEqual(["access_denied"]); // reported once, no TLS error
    expect(observer.of("open")).toEqual([]); // no handler saw it
  });
});
