import type { ClientHttp2Session } from "node:http2";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { SnapshotPool } from "../../../protocol/snapshot.types";
import type { HttpProxyOptions } from "../../proxy-options";
import { httpPool, startBackend, type HttpBackend } from "../../test-support/http-fixture";
import {
  connectH2,
  createServerCertificate,
  startH2Proxy,
  type H2ClientAddresses,
  type H2ProxyFixture,
  type H2ProxySetup,
  type TestServerCertificate,
} from "./h2-fixture";

/** What a test's backend does with each request (http-fixture's `startBackend` handler). */
export type BackendHandler = NonNullable<Parameters<typeof startBackend>[1]>;

/**
 * The setup every HTTP/2 test file shares (`useH2Suite()` once at the top of the file): one server
 * certificate generated for the file and removed after it, and what a test starts through the suite —
 * backends, proxies, client sessions — stopped after that test, the last started first.
 */
export interface H2Suite {
  /** The file's generated certificate for localhost (there once the file's `beforeAll` ran). */
  readonly certificate: TestServerCertificate;
  /** Runs `fn` after the current test (in reverse order of registration). */
  defer(fn: () => Promise<void> | void): void;
  /** A real HTTP/1.1 backend on loopback, closed after the test. */
  backend(name: string, handler?: BackendHandler): Promise<HttpBackend>;
  /** An HTTP/2 proxy for `pool` (null: no group), closed (drained) after the test. */
  proxy(pool: SnapshotPool | null, options?: HttpProxyOptions, setup?: H2ProxySetup): Promise<H2ProxyFixture>;
  /** An HTTP/2 proxy whose group has one member, "a", at `backend`; closed after the test. */
  proxyTo(backend: { readonly port: number }, options?: HttpProxyOptions, setup?: H2ProxySetup): Promise<H2ProxyFixture>;
  /** A node:http2 client session to the proxy on `port` (verifying its certificate; `from` a source address), destroyed after the test. */
  session(port: number, from?: H2ClientAddresses): Promise<ClientHttp2Session>;
}

/** Registers the file's hooks (certificate before all, cleanups after each test) and returns the suite. */
export function useH2Suite(): H2Suite {
  const cleanups: (() => Promise<void> | void)[] = [];
  let certificate: TestServerCertificate | null = null;
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });
  beforeAll(async () => {
    certificate = await createServerCertificate();
  });
  afterAll(() => certificate?.cleanup());

  const suite: H2Suite = {
    get certificate(): TestServerCertificate {
      if (certificate === null) throw new Error("the suite's certificate is made in beforeAll");
      return certificate;
    },
    defer(fn) {
      cleanups.push(fn);
    },
    async backend(name, handler) {
      const backend = await startBackend(name, handler);
      cleanups.push(() => backend.close());
      return backend;
    },
    async proxy(pool, options = {}, setup = {}) {
      const proxy = await startH2Proxy(suite.certificate, pool, options, setup);
      cleanups.push(() => proxy.close());
      return proxy;
    },
    proxyTo(backend, options, setup) {
      return suite.proxy(httpPool([{ id: "a", port: backend.port }]), options, setup);
    },
    async session(port, from) {
      const session = await connectH2(port, suite.certificate, from);
      cleanups.push(() => session.destroy());
      return session;
    },
  };
  return suite;
}
