import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHttpsHandler } from "../listeners/https";
import { LISTENER_COUNTERS, LISTENER_GAUGES, type ListenerCounter, type ListenerGauge } from "../protocol/metrics.types";
import { EngineRuntime } from "../runtime/engine-runtime";
import { freePort, waitFor } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import { TEST_SECRET_KEY, createTestPki, toSnapshotCertificate, type TestCertificate, type TestPki } from "../test-support/test-certificates";
import { TicketKeys } from "../tls/ticket-keys";
import type { TlsEnvironment } from "../tls/tls-environment";

/**
 * Listener metrics of an HTTPS listener (real TLS and HTTP/2 clients, a real engine runtime on
 * 127.0.0.1): a connection in its TLS handshake is counted at once and inactive; a failed handshake is a
 * connection that closes; an HTTP/2 connection is active while any of its streams is in progress (one
 * connection, however many streams) and inactive between them; each stream is one request.
 */
let pki: TestPki;
let server: TestCertificate;
const environment: TlsEnvironment = { secretKey: { key: TEST_SECRET_KEY, problem: null }, ticketKeys: new TicketKeys() };
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  server = await pki.server({ commonName: "metrics.example.test" });
}, 60_000);
afterAll(() => pki.cleanup());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Values = Record<ListenerCounter | ListenerGauge, number>;
function valuesOf(runtime: EngineRuntime, id: string): Values | undefined {
  const row = runtime.metrics().listeners.find((l) => l.listenerId === id);
  if (row === undefined) return undefined;
  const out = {} as Values;
  LISTENER_COUNTERS.forEach((name, i) => (out[name] = row.counters[i]!));
  LISTENER_GAUGES.forEach((name, i) => (out[name] = row.gauges[i]!));
  return out;
}

/** A backend answering `/slow/<ms>` after `ms` and anything else at once. */
async function slowBackend(): Promise<number> {
  const backend = http.createServer((req, res) => {
    const [, kind, ms] = (req.url ?? "").split("/");
    if (kind === "slow") setTimeout(() => res.end("slow"), Number(ms));
    else res.end("fast");
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", () => resolve()));
  cleanups.push(() => new Promise<void>((resolve) => (backend.closeAllConnections(), backend.close(() => resolve()))));
  return (backend.address() as AddressInfo).port;
}

async function httpsEngine(port: number, backendPort: number): Promise<EngineRuntime> {
  const runtime = new EngineRuntime({ handlerFactories: { HTTPS: (route) => createHttpsHandler(route, { tls: environment, handshakeTimeoutMs: 5000 }) }, drainGraceMs: 500, descriptorCheckMs: 0 });
  cleanups.push(() => runtime.stop(0));
  const l = listener("l-https", port, "p", { protocol: "HTTPS", idleTimeoutSeconds: 60, tls: { certificateId: "c1", sniCertificateIds: [], caCertificateId: null, http2: true } });
  await runtime.apply({ ...snapshot(1, [l], [pool("p", [member("m1", backendPort)], { protocol: "HTTP" })]), certificates: [toSnapshotCertificate("c1", server)] });
  return runtime;
}

describe("listener metrics: HTTPS and HTTP/2", () => {
  it("counts a connection still in its TLS handshake as concurrent and inactive, and a failed handshake as a connection that closed", async () => {
    const port = await freePort();
    const runtime = await httpsEngine(port, await slowBackend());
    const silent = net.connect(port, "127.0.0.1"); // never sends a ClientHello
    cleanups.push(() => silent.destroy());
    await waitFor(() => valuesOf(runtime, "l-https")?.concurrent === 1, 3000, "the silent connection counted");
    expect(valuesOf(runtime, "l-https")).toMatchObject({ connections: 1, concurrent: 1, active: 0, inactive: 1 });
    const garbage = net.connect(port, "127.0.0.1", () => garbage.write("this is not TLS\r\n\r\n"));
    garbage.on("error", () => {});
    await new Promise<void>((resolve) => garbage.once("close", () => resolve()));
    await waitFor(() => valuesOf(runtime, "l-https")?.connections === 2 && valuesOf(runtime, "l-https")?.concurrent === 1, 3000, "the refused handshake closed");
    silent.destroy();
    await waitFor(() => valuesOf(runtime, "l-https")?.concurrent === 0, 3000, "all closed");
    expect(valuesOf(runtime, "l-https")).toMatchObject({ connections: 2, active: 0, inactive: 0, requests: 0 });
  });

  it("an HTTP/2 connection is active while any stream is in progress, inactive between them; every stream is a request", async () => {
    const port = await freePort();
    const runtime = await httpsEngine(port, await slowBackend());
    const session = http2.connect(`https://127.0.0.1:${port}`, { ca: pki.root.certPem, servername: "metrics.example.test" });
    cleanups.push(() => session.destroy());
    const ask = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const stream = session.request({ ":path": path });
        let status = 0;
        stream.on("response", (headers) => (status = Number(headers[":status"])));
        stream.resume();
        stream.on("end", () => resolve(status));
        stream.on("error", reject);
      });
    expect(await ask("/fast")).toBe(200);
    await waitFor(() => valuesOf(runtime, "l-https")?.requests === 1, 2000, "first stream");
    expect(valuesOf(runtime, "l-https")).toMatchObject({ connections: 1, concurrent: 1, active: 0, inactive: 1 });
    const slow = [ask("/slow/400"), ask("/slow/600"), ask("/slow/500")];
    await waitFor(() => valuesOf(runtime, "l-https")?.active === 1, 2000, "streams in progress");
    expect(valuesOf(runtime, "l-https")).toMatchObject({ concurrent: 1, active: 1, inactive: 0 });
    expect(await Promise.all(slow)).toEqual([200, 200, 200]);
    await waitFor(() => valuesOf(runtime, "l-https")?.requests === 4, 2000, "every stream reported");
    expect(valuesOf(runtime, "l-https")).toMatchObject({ connections: 1, concurrent: 1, active: 0, inactive: 1, status2xx: 4 });
    const rt = valuesOf(runtime, "l-https")!.responseTimeMs;
    expect(rt).toBeGreaterThanOrEqual(400 + 600 + 500 - 15); // timer slack: 5 ms per slow stream
    expect(rt).toBeLessThan(400 + 600 + 500 + 600); // generous on a shared 2-core machine
    session.close();
    await waitFor(() => valuesOf(runtime, "l-https")?.concurrent === 0, 3000, "session closed");
    expect(valuesOf(runtime, "l-https")).toMatchObject({ active: 0, inactive: 0 });
  });

  it("an HTTP/2 stream the client resets mid-response is a 499, and the connection goes back to inactive", async () => {
    const port = await freePort();
    const runtime = await httpsEngine(port, await slowBackend());
    const session = http2.connect(`https://127.0.0.1:${port}`, { ca: pki.root.certPem, servername: "metrics.example.test" });
    cleanups.push(() => session.destroy());
    session.on("error", () => {});
    const stream = session.request({ ":path": "/slow/3000" });
    stream.on("error", () => {});
    await waitFor(() => valuesOf(runtime, "l-https")?.active === 1, 2000, "stream in progress");
    stream.close(http2.constants.NGHTTP2_CANCEL);
    await waitFor(() => valuesOf(runtime, "l-https")?.requests === 1, 2000, "the reset stream reported");
    expect(valuesOf(runtime, "l-https")).toMatchObject({ status499: 1, status4xx: 1, status2xx: 0, concurrent: 1, active: 0, inactive: 1 });
  });

  it("an HTTP/1.1 client over TLS: the bytes counted are the decrypted ones the client sent", async () => {
    const port = await freePort();
    const runtime = await httpsEngine(port, await slowBackend());
    const text = "GET /fast HTTP/1.1\r\nHost: metrics.example.test\r\nConnection: close\r\n\r\n";
    const received = await new Promise<string>((resolve, reject) => {
      const socket = tls.connect({ port, host: "127.0.0.1", ca: pki.root.certPem, servername: "metrics.example.test", ALPNProtocols: ["http/1.1"] }, () => socket.write(text));
      let data = "";
      socket.setEncoding("latin1");
      socket.on("data", (chunk: string) => (data += chunk));
      socket.on("close", () => resolve(data));
      socket.on("error", reject);
    });
    expect(received.startsWith("HTTP/1.1 200")).toBe(true);
    await waitFor(() => valuesOf(runtime, "l-https")?.concurrent === 0, 3000, "closed");
    expect(valuesOf(runtime, "l-https")).toMatchObject({ connections: 1, requests: 1, status2xx: 1, bytesIn: text.length, bytesOut: received.length });
  });
});
