import http2, { type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http2";
import type { AddressInfo } from "node:net";
import tls from "node:tls";
import { compileAddressSet } from "../../../access-control/address-set";
import type { Bandwidth } from "../../../limits/bandwidth.types";
import { createConnectionContext } from "../../../observe/connection-context";
import { NOOP_OBSERVER } from "../../../observe/noop-observer";
import type { ConnectionObserver } from "../../../observe/observer.types";
import { createPoolRuntime } from "../../../pools/pool-runtime";
import type { PoolRuntime } from "../../../pools/pool-runtime.types";
import type { SnapshotListener, SnapshotPool } from "../../../protocol/snapshot.types";
import { createTestPki, type TestCertificate } from "../../../test-support/test-certificates";
import type { HttpProxyOptions } from "../../proxy-options";
import { httpListener } from "../../test-support/http-fixture";
import { Http2Handler, type SharedUpstreams } from "../http2-handler";

/**
 * Test fixtures for the HTTP/2 handler: a real `tls.Server` on 127.0.0.1 port 0 offering ALPN "h2"
 * (as the HTTPS listener will) hands each secured socket to an `Http2Handler`; clients are
 * node:http2, curl, nghttp and h2load. Certificates are generated at run time (engine/test-support/test-certificates.ts).
 */

/** A generated server certificate for "localhost" with its CA, and a way to remove it. */
export interface TestServerCertificate {
  readonly server: TestCertificate;
  /** PEM of the CA that signed it (what a verifying client trusts). */
  readonly caPem: string;
  cleanup(): Promise<void>;
}

/** Generates a CA and an ECDSA P-256 server certificate for localhost. */
export async function createServerCertificate(): Promise<TestServerCertificate> {
  const pki = await createTestPki();
  const server = await pki.server({ commonName: "localhost", sans: ["localhost"] });
  return { server, caPem: pki.root.certPem, cleanup: () => pki.cleanup() };
}

/** A running HTTP/2 proxy: the handler behind a TLS server. */
export interface H2ProxyFixture {
  port: number;
  handler: Http2Handler;
  pool: PoolRuntime | null;
  /** Stops accepting, drains the handler (streams in flight get `graceMs`), closes the server. */
  close(graceMs?: number): Promise<void>;
}

/** What else a test may set up an HTTP/2 proxy with. */
export interface H2ProxySetup {
  /** Overrides of the HTTPS listener config. */
  listener?: Partial<SnapshotListener>;
  /** Sees the proxy's sessions and streams; default the no-op observer. */
  observer?: ConnectionObserver;
  /** Backend pools shared with an HTTP/1.1 handler (`HttpProxy.upstreams`). */
  shared?: SharedUpstreams;
  /** The pool runtime to use (the HTTP/1.1 handler's, when shared); default one built from `pool`. */
  runtime?: PoolRuntime;
  /** Every connection is on a limited address (an EIP) with this bandwidth. */
  bandwidth?: Bandwidth;
  /** The address the proxy listens on; default 127.0.0.1. */
  host?: string;
}

/** Starts an HTTP/2 proxy for `pool` on an HTTPS listener config. */
export async function startH2Proxy(
  certificate: TestServerCertificate,
  pool: SnapshotPool | null,
  options: HttpProxyOptions = {},
  setup: H2ProxySetup = {},
): Promise<H2ProxyFixture> {
  const runtime = setup.runtime ?? (pool === null ? null : createPoolRuntime(pool));
  const observer = setup.observer ?? NOOP_OBSERVER;
  const server = tls.createServer({ key: certificate.server.keyPem, cert: certificate.server.chainPem, ALPNProtocols: ["h2"] });
  const host = setup.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  const listener = httpListener(port, { protocol: "HTTPS", bindAddresses: [host], ...setup.listener });
  const handler = new Http2Handler({ listener, pool: runtime }, { compileTrustedIps: compileAddressSet, ...options }, setup.shared);
  const binding = { listenerId: "listener-1", localAddress: host, localPort: port, bandwidth: setup.bandwidth ?? null, observer };
  server.on("secureConnection", (socket: tls.TLSSocket) => {
    if (socket.alpnProtocol !== "h2") return socket.destroy();
    handler.handle(socket, createConnectionContext(binding, socket.remoteAddress, socket.remotePort));
  });
  server.on("tlsClientError", () => {});
  return {
    port,
    handler,
    pool: runtime,
    async close(graceMs = 200) {
      server.close();
      await handler.drain(graceMs);
    },
  };
}

/** Where a test client connects to the proxy from and to: its own source address, the proxy's address (default 127.0.0.1). */
export interface H2ClientAddresses {
  localAddress?: string;
  host?: string;
}

/** A node:http2 client session to the proxy, verifying its certificate against the test CA. */
export function connectH2(port: number, certificate: TestServerCertificate, from: H2ClientAddresses = {}): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const addresses = { host: from.host ?? "127.0.0.1", ...(from.localAddress === undefined ? {} : { localAddress: from.localAddress }) };
    const session = http2.connect(`https://localhost:${port}`, { ca: certificate.caPem, servername: "localhost", ...addresses });
    session.once("connect", () => resolve(session));
    session.once("error", reject);
  });
}

/** One response as the tests read it. */
export interface H2Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Sends one request on `session` (body: a string or buffer, ended at once) and collects the response (bounded: 15 s). */
export function h2Request(session: ClientHttp2Session, headers: OutgoingHttpHeaders, body?: string | Buffer): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ":method": body === undefined ? "GET" : "POST", ":path": "/", ...headers }, { endStream: body === undefined });
    const chunks: Buffer[] = [];
    let responseHeaders: IncomingHttpHeaders = {};
    const timer = setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), 15_000);
    stream.on("response", (h) => (responseHeaders = h));
    stream.on("data", (c: Buffer) => chunks.push(c));
    let ended = false;
    stream.on("end", () => {
      ended = true;
      clearTimeout(timer);
      resolve({ status: Number(responseHeaders[":status"]), headers: responseHeaders, body: Buffer.concat(chunks) });
    });
    stream.on("close", () => {
      clearTimeout(timer);
      if (!ended) reject(new Error(`stream closed before its end (RST_STREAM code ${stream.rstCode})`));
    });
    stream.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    if (body !== undefined) stream.end(body);
  });
}

/** Resolves once `predicate` holds (polled every 10 ms, at most `ms`, then throws). */
export async function until(predicate: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
