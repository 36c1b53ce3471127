import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SnapshotCertificate, SnapshotListenerTls } from "../protocol/snapshot.types";
import { TEST_SECRET_KEY, createTestPki, toSnapshotCertificate, type TestCertificate, type TestPki } from "../test-support/test-certificates";
import { ListenerTlsCompiler } from "./listener-tls";
import { TicketKeys } from "./ticket-keys";

describe("ListenerTlsCompiler", () => {
  let pki: TestPki;
  let one: TestCertificate;
  let two: TestCertificate;
  beforeAll(async () => {
    pki = await createTestPki();
    [one, two] = await Promise.all([pki.server({ commonName: "one.test" }), pki.server({ commonName: "two.test" })]);
  }, 30_000);
  afterAll(() => pki?.cleanup());

  const settings = (overrides: Partial<SnapshotListenerTls> = {}): SnapshotListenerTls => ({ certificateId: "c1", sniCertificateIds: [], caCertificateId: null, http2: false, ...overrides });
  const byId = (...certificates: SnapshotCertificate[]) => new Map(certificates.map((c) => [c.id, c]));
  const environment = () => ({ secretKey: { key: TEST_SECRET_KEY, problem: null }, ticketKeys: new TicketKeys() });

  it("builds one SecureContext per certificate content and reuses it while the content is unchanged", () => {
    const compiler = new ListenerTlsCompiler(environment());
    const c1 = toSnapshotCertificate("c1", one);
    const first = compiler.compile(settings(), byId(c1)).tls!;
    const again = compiler.compile(settings({ http2: true }), byId(c1), true).tls!;
    expect(again.socketOptions.secureContext).toBe(first.socketOptions.secureContext);
    expect(again.alpn).toEqual(["h2", "http/1.1"]);
    const modified = compiler.compile(settings(), byId(toSnapshotCertificate("c1", two))).tls!;
    expect(modified.socketOptions.secureContext).not.toBe(first.socketOptions.secureContext);
    expect(modified.alpn).toEqual(["http/1.1"]);
    // The same certificate under Mutual Authentication is another context (it carries the CA).
    const mutual = compiler.compile(settings({ caCertificateId: "ca" }), byId(toSnapshotCertificate("c1", two), toSnapshotCertificate("ca", pki.root, { type: "CA" }))).tls!;
    expect(mutual.socketOptions.secureContext).not.toBe(modified.socketOptions.secureContext);
    expect(mutual.socketOptions).toMatchObject({ requestCert: true, rejectUnauthorized: true });
  });

  it("a context reused by a compile in a later ticket-key period gets that period's key (every worker then issues the same tickets)", async () => {
    const periodMs = 300;
    const ticketKeys = new TicketKeys(randomBytes(32), periodMs);
    const compiler = new ListenerTlsCompiler({ secretKey: { key: TEST_SECRET_KEY, problem: null }, ticketKeys });
    const c1 = toSnapshotCertificate("c1", one);
    const keyOf = (compiled: { socketOptions: { secureContext?: { context: unknown } } }) =>
      (compiled.socketOptions.secureContext!.context as { getTicketKeys(): Buffer }).getTicketKeys();
    while (Date.now() % periodMs > 100) await new Promise((resolve) => setTimeout(resolve, 10)); // just after a period began
    const first = compiler.compile(settings(), byId(c1)).tls!;
    expect(keyOf(first).equals(ticketKeys.keyOf(ticketKeys.periodAt(Date.now())))).toBe(true);
    // No connection arrives (no refreshTicketKeys) while the period ends; then a new snapshot reuses the context.
    await new Promise((resolve) => setTimeout(resolve, periodMs - (Date.now() % periodMs) + 20));
    const next = compiler.compile(settings({ http2: true }), byId(c1), true).tls!;
    expect(next.socketOptions.secureContext).toBe(first.socketOptions.secureContext);
    next.refreshTicketKeys(Date.now());
    expect(keyOf(next).equals(ticketKeys.keyOf(ticketKeys.periodAt(Date.now())))).toBe(true);
  });

  it("names the certificate that can't be used; a bad SNI certificate is left out, a bad Server Certificate fails the compile", () => {
    const compiler = new ListenerTlsCompiler(environment());
    const c1 = toSnapshotCertificate("c1", one);
    const foreign = toSnapshotCertificate("c2", two, { key: randomBytes(32), domainName: "two.test" });
    const sni = compiler.compile(settings({ sniCertificateIds: ["c2"] }), byId(c1, foreign));
    expect(sni.tls?.sni.size).toBe(0);
    expect(sni.problems).toEqual([expect.stringMatching(/^SNI certificate c2: cannot open its private key/)]);
    expect(compiler.compile(settings({ certificateId: "c2" }), byId(foreign))).toMatchObject({ tls: null, problems: [expect.stringMatching(/^Server Certificate c2: cannot open/)] });
    const mismatched = { ...c1, certificatePem: two.certPem };
    expect(compiler.compile(settings(), byId(mismatched)).problems).toEqual([expect.stringMatching(/^Server Certificate c1: not usable: .*key values mismatch/)]);
    expect(compiler.compile(settings({ caCertificateId: "c1" }), byId(c1)).problems).toEqual(["certificate c1 is not a CA certificate (Mutual Authentication)"]);
    const noKey = new ListenerTlsCompiler({ secretKey: { key: null, problem: "no secret key: set it" }, ticketKeys: new TicketKeys() });
    expect(noKey.compile(settings(), byId(c1)).problems).toEqual(["Server Certificate c1: cannot open its private key: no secret key: set it"]);
  });
});
