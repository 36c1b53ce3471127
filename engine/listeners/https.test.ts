import { spawn } from "node:child_process";
import { X509Certificate, randomBytes } from "node:crypto";
import tls from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { startBackend, type HttpBackend } from "../l7/test-support/http-fixture";
import { startRawBackend } from "../l7/test-support/raw-backend";
import { sealSecret } from "../protocol/sealed-secret";
import type { Snapshot, SnapshotCertificate, SnapshotListenerTls } from "../protocol/snapshot.types";
import { EngineRuntime } from "../runtime/engine-runtime";
import { freePort } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import { RecordingObserver } from "../test-support/recording-observer";
import { TEST_SECRET_KEY, createTestPki, toSnapshotCertificate, type TestCertificate, type TestPki } from "../test-support/test-certificates";
import { TicketKeys } from "../tls/ticket-keys";
import type { TlsEnvironment } from "../tls/tls-environment";
import { HANDSHAKE_TIMED_OUT, createHttpsHandler } from "./https";

/**
 * HTTPS listeners end to end: a real engine runtime, real TLS clients (curl, openssl s_client,
 * node:tls, ws) and real backends on loopback; certificates generated at run time.
 */

let pki: TestPki;
let otherPki: TestPki;
let defaultCert: TestCertificate;
let aCert: TestCertificate;
let wildcardCert: TestCertificate;
let clientCert: TestCertificate;
let strangerCert: TestCertificate;
let backend: HttpBackend;
const environment: TlsEnvironment = { secretKey: { key: TEST_SECRET_KEY, problem: null }, ticketKeys: new TicketKeys() };

beforeAll(async () => {
  [pki, otherPki] = await Promise.all([createTestPki(), createTestPki()]);
  [defaultCert, aCert, wildcardCert, clientCert, strangerCert] = await Promise.all([
    pki.server({ commonName: "default.example.test", keyType: "rsa" }),
    pki.server({ commonName: "a.example.test", issuer: "intermediate" }),
    pki.server({ commonName: "*.example.test" }),
    pki.client({ commonName: "client-1" }),
    otherPki.client({ commonName: "stranger" }),
  ]);
  backend = await startBackend("b1", (req, res) => {
    req.resume();
    req.on("end", () => res.end(`proto=${String(req.headers["x-forwarded-proto"])} path=${req.url}`));
  });
}, 60_000);
afterAll(async () => {
  await backend?.close();
  await pki?.cleanup();
  await otherPki?.cleanup();
});

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The snapshot certificates every test can use: default (RSA), a (chained), wildcard, the CA. */
function certificates(): SnapshotCertificate[] {
  return [
    toSnapshotCertificate("cert-default", defaultCert),
    toSnapshotCertificate("cert-a", aCert, { domainName: "a.example.test" }),
    toSnapshotCertificate("cert-wild", wildcardCert, { domainName: "*.example.test" }),
    toSnapshotCertificate("ca", pki.root, { type: "CA" }),
  ];
}

/** A snapshot with one HTTPS listener on `port` forwarding to `backendPort`. */
function httpsSnapshot(version: number, port: number, settings: Partial<SnapshotListenerTls> = {}, certs = certificates(), backendPort = backend.port): Snapshot {
  const tlsSettings: SnapshotListenerTls = { certificateId: "cert-default", sniCertificateIds: [], caCertificateId: null, http2: false, ...settings };
  const l = listener("l1", port, "p", { protocol: "HTTPS", tls: tlsSettings, idleTimeoutSeconds: 60 });
  return { ...snapshot(version, [l], [pool("p", [member("m1", backendPort)], { protocol: "HTTP" })]), certificates: certs };
}

/** A runtime serving HTTPS with the test secret key; stopped after the test. */
async function engine(first: (port: number) => Snapshot, handshakeTimeoutMs = 10_000, tlsEnvironment = environment) {
  const port = await freePort();
  const observer = new RecordingObserver();
  const rt = new EngineRuntime({ handlerFactories: { HTTPS: (route) => createHttpsHandler(route, { tls: tlsEnvironment, handshakeTimeoutMs }) }, observer, drainGraceMs: 500 });
  cleanups.push(() => rt.stop(200));
  const result = await rt.apply(first(port));
  return { port, rt, observer, result };
}

/** Runs a command with `input` on stdin; bounded at 15 s. */
function run(command: string, args: string[], input = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}

/** curl through the listener, the name resolved to 127.0.0.1, trusting the test root. */
function curl(port: number, name: string, extra: string[] = [], path = "/") {
  return run("curl", ["-sS", "--max-time", "10", "--cacert", pki.root.certPath, "--resolve", `${name}:${port}:127.0.0.1`, ...extra, `https://${name}:${port}${path}`]);
}

/** openssl s_client: one request with Connection: close, reading to the end (tickets arrive after the handshake). */
function sClient(port: number, args: string[]) {
  return run("openssl", ["s_client", "-connect", `127.0.0.1:${port}`, "-ign_eof", "-CAfile", pki.root.certPath, ...args], "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
}

/** The subject CN of the certificate s_client printed. */
function servedSubject(output: string): string {
  return /^subject=(.*)$/m.exec(output)?.[1]?.replace(/\s/g, "") ?? "(none)";
}

function tlsErrors(observer: RecordingObserver) {
  return observer.of("error").filter((e) => e.kind === "tls_handshake");
}

describe("HTTPS listener (table 3-3, 3.8.2)", () => {
  it("curl --http1.1 reaches the backend through TLS with X-Forwarded-Proto https; two requests share one connection", async () => {
    const { port, result } = await engine((p) => httpsSnapshot(1, p));
    expect(result.errors).toEqual([]);
    const before = backend.seen.length;
    const r = await curl(port, "default.example.test", ["--http1.1", "-w", "|%{http_version}|%{num_connects}\n"], "/one");
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("proto=https path=/one|1.1|1\n");
    const two = await run("curl", ["-sS", "--http1.1", "--cacert", pki.root.certPath, "--resolve", `default.example.test:${port}:127.0.0.1`, "-w", "|%{num_connects}\n", `https://default.example.test:${port}/x`, `https://default.example.test:${port}/y`]);
    expect(two.stdout).toBe("proto=https path=/x|1\nproto=https path=/y|0\n");
    expect(backend.seen.length - before).toBe(3);
  });

  it("ALPN offers h2 only when HTTP/2 is on; http/1.1 otherwise", async () => {
    const { port, rt } = await engine((p) => httpsSnapshot(1, p, { http2: false }));
    expect((await sClient(port, ["-alpn", "h2,http/1.1"])).stdout).toContain("ALPN protocol: http/1.1");
    await rt.apply(httpsSnapshot(2, port, { http2: true }));
    expect((await sClient(port, ["-alpn", "h2,http/1.1"])).stdout).toContain("ALPN protocol: h2");
    const h2 = await curl(port, "default.example.test", ["--http2", "-w", "|%{http_version}"]);
    expect(h2.stdout).toBe("proto=https path=/|2");
  });

  it("SNI: exact domain, then one-label wildcard, case and trailing dot ignored; else the Server Certificate", async () => {
    const { port } = await engine((p) => httpsSnapshot(1, p, { sniCertificateIds: ["cert-a", "cert-wild"] }));
    const subject = async (args: string[]) => servedSubject((await sClient(port, args)).stdout);
    expect(await subject(["-servername", "a.example.test"])).toBe("CN=a.example.test");
    expect(await subject(["-servername", "A.Example.TEST."])).toBe("CN=a.example.test");
    expect(await subject(["-servername", "b.example.test"])).toBe("CN=*.example.test");
    expect(await subject(["-servername", "x.b.example.test"])).toBe("CN=default.example.test");
    expect(await subject(["-servername", "example.test"])).toBe("CN=default.example.test");
    expect(await subject(["-servername", "unknown.other"])).toBe("CN=default.example.test");
    expect(await subject(["-noservername"])).toBe("CN=default.example.test");
    // The chained certificate is served with its intermediate: curl verifies it against the root alone.
    expect((await curl(port, "a.example.test")).stdout).toBe("proto=https path=/");
  });

  it("Mutual Authentication: a client certificate signed by the CA passes; none, or one from another CA, is refused before any byte reaches the backend", async () => {
    const { port, observer } = await engine((p) => httpsSnapshot(1, p, { caCertificateId: "ca" }));
    const before = backend.seen.length;
    const ok = await curl(port, "default.example.test", ["--cert", clientCert.certPath, "--key", clientCert.keyPath]);
    expect(ok.stdout).toBe("proto=https path=/");
    expect(backend.seen.length - before).toBe(1);

    const none = await curl(port, "default.example.test");
    expect(none.code).not.toBe(0);
    expect(none.stdout).toBe("");
    // No certificate at all: refused inside the handshake (TLS 1.3 alert "certificate required").
    const noneOpenssl = await sClient(port, []);
    expect(noneOpenssl.stdout + noneOpenssl.stderr).toMatch(/certificate required|alert/i);
    const stranger = await curl(port, "default.example.test", ["--cert", strangerCert.certPath, "--key", strangerCert.keyPath]);
    expect(stranger.code).not.toBe(0);
    expect(stranger.stdout).toBe("");
    expect(backend.seen.length - before).toBe(1);
    expect(tlsErrors(observer).length).toBeGreaterThanOrEqual(3);
  });

  it("Mutual Authentication with SNI: the CA verifies clients whichever certificate the server name selects", async () => {
    const { port } = await engine((p) => httpsSnapshot(1, p, { caCertificateId: "ca", sniCertificateIds: ["cert-a", "cert-wild"] }));
    const before = backend.seen.length;
    for (const name of ["a.example.test", "b.example.test"]) {
      const ok = await curl(port, name, ["--cert", clientCert.certPath, "--key", clientCert.keyPath]);
      expect(ok.stdout).toBe("proto=https path=/");
      const stranger = await curl(port, name, ["--cert", strangerCert.certPath, "--key", strangerCert.keyPath]);
      expect(stranger.stdout).toBe("");
      expect((await curl(port, name)).stdout).toBe("");
    }
    expect(backend.seen.length - before).toBe(2);
  });

  it("TLS 1.2 and 1.3 are served, TLS 1.1 and 1.0 refused by the engine", async () => {
    const { port, observer } = await engine((p) => httpsSnapshot(1, p));
    expect((await sClient(port, ["-tls1_2"])).stdout).toMatch(/New, TLSv1\.2|Protocol *: TLSv1\.2/);
    expect((await sClient(port, ["-tls1_3"])).stdout).toContain("New, TLSv1.3");
    // The client is allowed the old protocols (security level 0): the refusal is the engine's.
    for (const flag of ["-tls1_1", "-tls1"]) {
      const old = await sClient(port, [flag, "-cipher", "DEFAULT@SECLEVEL=0"]);
      expect(old.stdout).not.toContain("HTTP/1.1 200");
    }
    const causes = tlsErrors(observer).map((e) => (e.cause as NodeJS.ErrnoException).code);
    expect(causes).toEqual(["ERR_SSL_UNSUPPORTED_PROTOCOL", "ERR_SSL_UNSUPPORTED_PROTOCOL"]);
  });

  it("session resumption: a saved session is reused (TLS 1.3 and 1.2 tickets, also under Mutual Authentication)", async () => {
    const { port, rt } = await engine((p) => httpsSnapshot(1, p));
    const dir = pki.dir;
    for (const version of ["-tls1_3", "-tls1_2"]) {
      const file = `${dir}/session${version}.pem`;
      const first = await sClient(port, [version, "-sess_out", file]);
      expect(first.stdout).toContain("HTTP/1.1 200");
      expect(first.stdout).toMatch(/^New, /m);
      const again = await sClient(port, [version, "-sess_in", file]);
      expect(again.stdout).toMatch(/^Reused, /m);
    }
    await rt.apply(httpsSnapshot(2, port, { caCertificateId: "ca" }));
    const file = `${dir}/session-mtls.pem`;
    const mtls = ["-cert", clientCert.certPath, "-key", clientCert.keyPath];
    expect((await sClient(port, [...mtls, "-sess_out", file])).stdout).toContain("HTTP/1.1 200");
    const again = await sClient(port, [...mtls, "-sess_in", file]);
    expect(again.stdout).toMatch(/^Reused, /m);
    expect(again.stdout).toContain("HTTP/1.1 200");
  });

  it("ticket keys rotate each period: a ticket of the last period no longer resumes (full handshake)", async () => {
    const periodMs = 2000;
    const rotating: TlsEnvironment = { secretKey: environment.secretKey, ticketKeys: new TicketKeys(randomBytes(32), periodMs) };
    const { port } = await engine((p) => httpsSnapshot(1, p), 10_000, rotating);
    while (Date.now() % periodMs > 200) await new Promise((resolve) => setTimeout(resolve, 20)); // just after a period began
    const file = `${pki.dir}/session-rotating.pem`;
    expect((await sClient(port, ["-sess_out", file])).stdout).toMatch(/^New, /m);
    expect((await sClient(port, ["-sess_in", file])).stdout).toMatch(/^Reused, /m);
    await new Promise((resolve) => setTimeout(resolve, periodMs - (Date.now() % periodMs) + 50)); // the next period
    expect((await sClient(port, ["-sess_in", file])).stdout).toMatch(/^New, /m);
  });

  it("wss:// WebSocket echo through the listener", async () => {
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    wss.on("connection", (ws, req) => {
      ws.on("message", (data) => ws.send(`echo(${String(req.headers["x-forwarded-proto"])}): ${String(data)}`));
    });
    await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
    const wsPort = (wss.address() as { port: number }).port;
    const { port } = await engine((p) => httpsSnapshot(1, p, {}, certificates(), wsPort));
    const client = new WebSocket(`wss://127.0.0.1:${port}/chat`, { ca: pki.root.certPem, servername: "default.example.test" } as ConstructorParameters<typeof WebSocket>[1] & tls.ConnectionOptions);
    cleanups.push(() => client.terminate());
    const answers: string[] = [];
    await new Promise<void>((resolve, reject) => {
      client.on("open", () => client.send("hello"));
      client.on("message", (data) => {
        answers.push(String(data));
        if (answers.length === 1) client.send("again");
        else resolve();
      });
      client.on("error", reject);
      setTimeout(() => reject(new Error("no echo")), 5000).unref();
    });
    expect(answers).toEqual(["echo(https): hello", "echo(https): again"]);
  });

  it("a certificate modified in a new snapshot is served to new handshakes; an open keep-alive connection keeps working", async () => {
    const { port, rt } = await engine((p) => httpsSnapshot(1, p));
    const socket = tls.connect({ port, host: "127.0.0.1", servername: "default.example.test", ca: pki.root.certPem });
    cleanups.push(() => socket.destroy());
    await new Promise<void>((resolve, reject) => socket.once("secureConnect", resolve).once("error", reject));
    const fingerprintOld = socket.getPeerX509Certificate()!.fingerprint256;
    const ask = (path: string) =>
      new Promise<string>((resolve, reject) => {
        let text = "";
        const onData = (chunk: Buffer) => {
          text += chunk.toString();
          const m = /Content-Length: (\d+)\r\n\r\n/i.exec(text);
          if (m && text.length >= text.indexOf("\r\n\r\n") + 4 + Number(m[1])) {
            socket.off("data", onData);
            resolve(text.slice(text.indexOf("\r\n\r\n") + 4));
          }
        };
        socket.on("data", onData);
        socket.once("error", reject);
        socket.write(`GET ${path} HTTP/1.1\r\nHost: default.example.test\r\n\r\n`);
      });
    expect(await ask("/before")).toBe("proto=https path=/before");

    const renewed = await pki.server({ commonName: "default.example.test" });
    const certs = certificates().map((c) => (c.id === "cert-default" ? toSnapshotCertificate("cert-default", renewed) : c));
    const applied = await rt.apply(httpsSnapshot(2, port, {}, certs));
    expect(applied.errors).toEqual([]);
    const served = await sClient(port, ["-servername", "default.example.test", "-showcerts"]);
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(served.stdout)![0];
    expect(new X509Certificate(pem).fingerprint256).toBe(new X509Certificate(renewed.certPem).fingerprint256);
    expect(new X509Certificate(pem).fingerprint256).not.toBe(fingerprintOld);
    expect(await ask("/after")).toBe("proto=https path=/after");
  });

  it("request smuggling over TLS: CL+TE is answered 400 by the engine and nothing reaches the backend", async () => {
    const raw = await startRawBackend();
    cleanups.push(() => raw.close());
    const { port } = await engine((p) => httpsSnapshot(1, p, {}, certificates(), raw.port));
    const socket = tls.connect({ port, host: "127.0.0.1", servername: "default.example.test", ca: pki.root.certPem });
    cleanups.push(() => socket.destroy());
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.on("error", () => {});
    await new Promise<void>((resolve) => socket.once("secureConnect", resolve));
    socket.write("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n");
    await closed;
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain("\r\nServer: elb\r\n");
    expect(text.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(raw.received).toBe(0);
  });

  it("a handshake that never completes is closed at the deadline, even when the client trickles bytes", async () => {
    const { port, observer } = await engine((p) => httpsSnapshot(1, p), 400);
    const started = Date.now();
    const silent = tls.connect({ port, host: "127.0.0.1", servername: "x" }); // never mind: we only need a TCP peer
    silent.destroy();
    const net = await import("node:net");
    const idle = net.connect(port, "127.0.0.1");
    const trickle = net.connect(port, "127.0.0.1");
    cleanups.push(() => idle.destroy(), () => trickle.destroy());
    // A TLS record header of a ClientHello, then one byte every 100 ms: activity, but no handshake.
    const hello = Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]), randomBytes(32)]);
    let sent = 0;
    const drip = setInterval(() => trickle.writable && trickle.write(hello.subarray(sent, ++sent)), 100);
    cleanups.push(() => clearInterval(drip));
    const closedAt = (s: import("node:net").Socket) => new Promise<number>((resolve) => s.once("close", () => resolve(Date.now() - started)).on("error", () => {}));
    const [idleMs, trickleMs] = await Promise.all([closedAt(idle), closedAt(trickle)]);
    expect(idleMs).toBeGreaterThanOrEqual(350);
    expect(idleMs).toBeLessThan(2000);
    expect(trickleMs).toBeLessThan(2000);
    expect(tlsErrors(observer).filter((e) => e.cause === HANDSHAKE_TIMED_OUT)).toHaveLength(2);
  });

  it("a certificate that can't be opened is a listener error naming it, not a crash; a broken update keeps the last working certificate", async () => {
    const wrongKey = randomBytes(32);
    const sealedElsewhere = { ...toSnapshotCertificate("cert-default", defaultCert), privateKeySealed: sealSecret(defaultCert.keyPem, wrongKey) };
    const broken = certificates().map((c) => (c.id === "cert-default" ? sealedElsewhere : c));
    const { port, rt, result, observer } = await engine((p) => httpsSnapshot(1, p, {}, broken));
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.listenerId).toBe("l1");
    expect(result.errors[0]!.message).toMatch(/Server Certificate cert-default: cannot open its private key/);
    const refused = await curl(port, "default.example.test");
    expect(refused.code).not.toBe(0);
    expect(tlsErrors(observer).length).toBeGreaterThanOrEqual(1);

    expect((await rt.apply(httpsSnapshot(2, port))).errors).toEqual([]);
    expect((await curl(port, "default.example.test")).stdout).toBe("proto=https path=/");
    const third = await rt.apply(httpsSnapshot(3, port, { sniCertificateIds: ["cert-a"] }, broken));
    expect(third.errors.map((e) => e.message)).toEqual([expect.stringMatching(/Server Certificate cert-default: cannot open its private key/)]);
    expect((await curl(port, "default.example.test")).stdout).toBe("proto=https path=/");
    // An SNI certificate missing from the snapshot is left out and named; the listener serves the rest.
    const fourth = await rt.apply(httpsSnapshot(4, port, { sniCertificateIds: ["cert-missing", "cert-a"] }));
    expect(fourth.errors.map((e) => e.message)).toEqual(["SNI certificate cert-missing not in snapshot"]);
    expect(servedSubject((await sClient(port, ["-servername", "a.example.test"])).stdout)).toBe("CN=a.example.test");
  });

  it("fails closed: an update turning Mutual Authentication on that can't be applied refuses new clients instead of keeping the weaker settings", async () => {
    const { port, rt } = await engine((p) => httpsSnapshot(1, p));
    expect((await curl(port, "default.example.test")).stdout).toBe("proto=https path=/");
    const update = await rt.apply(httpsSnapshot(2, port, { caCertificateId: "ca-missing" }));
    expect(update.errors.map((e) => e.message)).toEqual([expect.stringMatching(/CA certificate ca-missing not in snapshot/)]);
    expect((await curl(port, "default.example.test")).code).not.toBe(0);
    expect((await rt.apply(httpsSnapshot(3, port))).errors).toEqual([]);
    expect((await curl(port, "default.example.test")).stdout).toBe("proto=https path=/");
  });
});
