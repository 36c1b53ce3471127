import type { ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { existsSync, readdirSync } from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccessLogEntry } from "../../protocol/access-log-entry.types";
import { accessLogFileName, accessLogStreamFolder } from "../../protocol/access-log-files";
import { parseAccessLogLine } from "../../protocol/access-log-line";
import type { SnapshotAccessLog, SnapshotListener } from "../../protocol/snapshot.types";
import { freePort, waitFor } from "../../test-support/backends";
import { buildEngine, startEngine, type EngineProcess } from "../../test-support/engine-process";
import { listener, member, pool, snapshot } from "../../test-support/fixtures";
import { TEST_SECRET_KEY_HEX, createTestPki, toSnapshotCertificate, type TestCertificate, type TestPki } from "../../test-support/test-certificates";

/**
 * Access-log records (guide table 7-1) of the built engine as a black box: real clients through real
 * sockets to an HTTP and an HTTPS listener (SNI, mutual authentication, HTTP/2), the records read back
 * from the engine's files with the console's parser and compared field by field with the requests
 * that produced them. Two worker threads, as in production: each writes its own -w<n> file of the hour,
 * and the metrics report sums their totals.
 */
let dir = "";
let entry = "";
let pki: TestPki;
let mainCert: TestCertificate;
let sniCert: TestCertificate;
let clientCert: TestCertificate;
let backend: http.Server;
let backendPort = 0;
let deadPort = 0;
let engine: EngineProcess;
const children: ChildProcess[] = [];
const ports = { http: 0, dead: 0, retry: 0, none: 0, https: 0, redirect: 0 };

const BODY = "hello access log\n"; // what the backend answers: 17 bytes
const LOG: SnapshotAccessLog = { streamId: "stream-1", groupId: "group-1", tenantId: "tenant-9", eipAddress: "203.0.113.9", retentionDays: 7, maxBytes: 1 << 30, syslog: null };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "elb-access-log-"));
  entry = path.join(dir, "main.js");
  pki = await createTestPki();
  [mainCert, sniCert, clientCert] = await Promise.all([
    pki.server({ commonName: "main.example.test" }),
    pki.server({ commonName: "sni.example.test" }),
    pki.client({ commonName: "client.example.test" }),
    buildEngine(entry),
  ]);
  backend = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "text/plain", "content-length": BODY.length }).end(BODY));
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  backendPort = (backend.address() as net.AddressInfo).port;
  deadPort = await freePort(); // nothing listens there: connects are refused
  for (const key of Object.keys(ports) as (keyof typeof ports)[]) ports[key] = await freePort();

  const keyFile = path.join(dir, "secret.key");
  await writeFile(keyFile, `${TEST_SECRET_KEY_HEX}\n`, { mode: 0o600 });
  const stateDir = path.join(dir, "state");
  engine = startEngine(entry, { ELB_ENGINE_WORKERS: "2", ELB_ENGINE_STATE_DIR: stateDir, ELB_SECRET_KEY_FILE: keyFile, ELB_SECRET_KEY: "", ELB_METRICS_INTERVAL_MS: "500" }, children);
  await engine.next("ready");
  const logged = (l: SnapshotListener): SnapshotListener => ({ ...l, accessLog: LOG });
  const listeners = [
    logged(listener("l-http", ports.http, "p-live", { protocol: "HTTP", loadBalancerId: "lb-7", idleTimeoutSeconds: 60 })),
    logged(listener("l-dead", ports.dead, "p-dead", { protocol: "HTTP", loadBalancerId: "lb-7", idleTimeoutSeconds: 60 })),
    logged(listener("l-retry", ports.retry, "p-retry", { protocol: "HTTP", loadBalancerId: "lb-7", idleTimeoutSeconds: 60 })),
    logged(listener("l-none", ports.none, null, { protocol: "HTTP", loadBalancerId: "lb-7", idleTimeoutSeconds: 60 })),
    logged(listener("l-redirect", ports.redirect, "p-live", { protocol: "HTTP", loadBalancerId: "lb-7", idleTimeoutSeconds: 60, redirect: { port: ports.https } })),
    logged(
      listener("l-https", ports.https, "p-live", {
        protocol: "HTTPS",
        loadBalancerId: "lb-7",
        idleTimeoutSeconds: 60,
        tls: { certificateId: "cert-main", sniCertificateIds: ["cert-sni"], caCertificateId: "cert-ca", http2: true },
      }),
    ),
  ];
  const pools = [
    pool("p-live", [member("m-live", backendPort)], { protocol: "HTTP" }),
    pool("p-dead", [member("m-dead", deadPort)], { protocol: "HTTP" }),
    pool("p-retry", [member("m-first", deadPort), member("m-second", backendPort)], { protocol: "HTTP" }),
  ];
  const certificates = [
    toSnapshotCertificate("cert-ca", pki.root, { type: "CA" }),
    toSnapshotCertificate("cert-main", mainCert),
    toSnapshotCertificate("cert-sni", sniCert, { domainName: "sni.example.test" }),
  ];
  // Files the primary's retention pass must judge once the snapshot names the group (7 days): one 30 days old, one 2 days old.
  const folder = accessLogStreamFolder(stateDir, LOG.groupId, "older-stream");
  await mkdir(folder, { recursive: true });
  const hour = Date.now() - (Date.now() % 3_600_000);
  await writeFile(path.join(folder, accessLogFileName(hour - 30 * 86_400_000, 0) + ".gz"), "old");
  await writeFile(path.join(folder, accessLogFileName(hour - 2 * 86_400_000, 0) + ".gz"), "recent");
  // A group no listener logs into (listed in accessLogGroups: 1 day) and a deleted one (not listed), each with a 3-day-old file.
  for (const group of ["group-idle", "group-gone"]) {
    const streamFolder = accessLogStreamFolder(stateDir, group, "s");
    await mkdir(streamFolder, { recursive: true });
    await writeFile(path.join(streamFolder, accessLogFileName(hour - 3 * 86_400_000, 0) + ".gz"), "old");
    const quiet = (Date.now() - 3_600_000) / 1000; // folders unchanged for an hour
    await utimes(streamFolder, quiet, quiet);
    await utimes(path.dirname(streamFolder), quiet, quiet);
  }
  const accessLogGroups = [
    { groupId: LOG.groupId, retentionDays: LOG.retentionDays, maxBytes: LOG.maxBytes },
    { groupId: "group-idle", retentionDays: 1, maxBytes: 1 << 30 },
  ];
  engine.child.send({ type: "snapshot", snapshot: { ...snapshot(1, listeners, pools), certificates, accessLogGroups } });
  expect((await engine.next("applied")).errors).toEqual([]);
}, 120_000);

afterAll(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await new Promise<void>((resolve) => backend?.close(() => resolve()));
  await pki?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** What a raw exchange sent and got: exact bytes both ways and the client's own port. */
interface Exchange {
  requestBytes: number;
  responseBytes: number;
  response: string;
  clientPort: number;
}

/** Writes `request` on a fresh connection and reads until the engine closes it (Connection: close). */
function rawExchange(socket: net.Socket, request: string): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let clientPort = 0;
    const timer = setTimeout(() => reject(new Error("exchange timed out")), 10_000);
    const send = () => {
      clientPort = socket.localPort ?? 0;
      socket.write(request, "latin1");
    };
    if (socket instanceof tls.TLSSocket) socket.once("secureConnect", send);
    else socket.once("connect", send);
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.once("error", reject);
    socket.once("close", () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      resolve({ requestBytes: Buffer.byteLength(request, "latin1"), responseBytes: all.length, response: all.toString("latin1"), clientPort });
    });
  });
}

function httpExchange(port: number, request: string): Promise<Exchange> {
  return rawExchange(net.connect({ port, host: "127.0.0.1" }), request);
}

/** Every record of the stream so far (all files), parsed. */
async function records(): Promise<AccessLogEntry[]> {
  const folder = accessLogStreamFolder(path.join(dir, "state"), LOG.groupId, LOG.streamId);
  const names = await readdir(folder).catch(() => [] as string[]);
  const out: AccessLogEntry[] = [];
  for (const name of names.filter((n) => n.endsWith(".log"))) {
    for (const line of (await readFile(path.join(folder, name), "latin1")).split("\n")) {
      if (line === "") continue;
      const entry = parseAccessLogLine(line);
      expect(entry, `a line the parser reads: ${line}`).not.toBeNull();
      out.push(entry!);
    }
  }
  return out;
}

/** The record of the request whose URI carries `tag`, or the first one `tag` selects (waits for the writer's flush, ≤ 1 s plus slack). */
async function recordOf(tag: string | ((e: AccessLogEntry) => boolean)): Promise<AccessLogEntry> {
  let found: AccessLogEntry | undefined;
  const deadline = Date.now() + 8000;
  while (found === undefined) {
    found = (await records()).find(typeof tag === "string" ? (e) => e.routerRequestUri.includes(tag) : tag);
    if (found !== undefined) break;
    if (Date.now() > deadline) throw new Error(`no record of ${String(tag)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return found;
}

const headLength = (response: string) => response.indexOf("\r\n\r\n") + 4;

describe("access-log retention in the engine's primary", () => {
  it("after a snapshot, deletes the group's files older than its retention and keeps the rest", async () => {
    const folder = accessLogStreamFolder(path.join(dir, "state"), LOG.groupId, "older-stream");
    const hour = Date.now() - (Date.now() % 3_600_000);
    await waitFor(() => !existsSync(path.join(folder, accessLogFileName(hour - 30 * 86_400_000, 0) + ".gz")), 5000, "the 30-day-old file deleted");
    expect(await readdir(folder)).toEqual([accessLogFileName(hour - 2 * 86_400_000, 0) + ".gz"]);
  });

  it("prunes a log group no listener logs into (the snapshot's accessLogGroups) and deletes the folder of a group not listed", async () => {
    const state = path.join(dir, "state");
    await waitFor(() => !existsSync(path.join(state, "access-logs", "group-gone")), 5000, "the deleted group's folder removed");
    await waitFor(() => readdirSync(accessLogStreamFolder(state, "group-idle", "s")).length === 0, 5000, "the idle group's 3-day-old file deleted");
  });
});

describe("access log of an HTTP listener", () => {
  it("writes every field of table 7-1 from the request that produced it", async () => {
    const request =
      "GET /shop/item?id=42&tag=http-full HTTP/1.1\r\nHost: WWW.Example.TEST.:8080\r\nUser-Agent: probe/1.0 \"quoted\"\r\n" +
      "Referer: https://ref.example.test/from\r\nX-Forwarded-For: 198.51.100.1, 198.51.100.2\r\nConnection: close\r\n\r\n";
    const before = Date.now();
    const x = await httpExchange(ports.http, request);
    expect(x.response.startsWith("HTTP/1.1 200")).toBe(true);
    const e = await recordOf("tag=http-full");
    expect(e.msec * 1000).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(e.msec * 1000).toBeLessThanOrEqual(Date.now());
    expect(e.accessLogTopicId).toBe("stream-1");
    expect(Date.parse(e.timeIso8601) / 1000).toBe(Math.floor(e.msec));
    expect(e.logVer).toBe("1");
    expect([e.remoteAddr, e.remotePort]).toEqual(["127.0.0.1", x.clientPort]);
    expect(e.status).toBe(200);
    expect([e.requestMethod, e.scheme, e.host, e.routerRequestUri, e.serverProtocol]).toEqual(["GET", "http", "www.example.test", "/shop/item?id=42&tag=http-full", "HTTP/1.1"]); // nginx's $host: no port, no trailing dot, lowercase
    expect(e.requestLength).toBe(x.requestBytes);
    expect(e.bytesSent).toBe(x.responseBytes);
    expect(e.bodyBytesSent).toBe(x.responseBytes - headLength(x.response));
    expect(e.bodyBytesSent).toBe(BODY.length);
    expect(e.requestTime).toBeGreaterThanOrEqual(0);
    expect(e.requestTime).toBeLessThan(5);
    expect(e.upstreamStatus).toBe("200");
    for (const t of [e.upstreamConnectTime, e.upstreamHeaderTime, e.upstreamResponseTime]) expect(t).toMatch(/^\d+\.\d{3}$/);
    expect(Number(e.upstreamConnectTime)).toBeLessThanOrEqual(Number(e.upstreamHeaderTime));
    expect(Number(e.upstreamHeaderTime)).toBeLessThanOrEqual(Number(e.upstreamResponseTime));
    expect(e.upstreamAddr).toBe(`127.0.0.1:${backendPort}`);
    expect(e.httpUserAgent).toBe('probe/1.0 "quoted"');
    expect(e.httpReferer).toBe("https://ref.example.test/from");
    expect(e.httpXForwardedFor).toBe("198.51.100.1, 198.51.100.2");
    expect([e.lbName, e.listenerName, e.listenerId]).toEqual(["loadbalancer_lb-7", "listener_l-http", "l-http"]);
    expect([e.poolName, e.memberName, e.tenantId]).toEqual(["pool_p-live", "member_m-live", "tenant-9"]);
    expect([e.eipAddress, e.eipPort]).toEqual(["203.0.113.9", ports.http]);
    expect(e.upstreamAddrPriv).toBe(`127.0.0.1:${backendPort}`);
    expect([e.certificateId, e.sslProtocol, e.sslCipher, e.sniDomainName]).toEqual([null, null, null, null]); // not HTTPS: '-'
    expect(e.tcpinfoRtt).toBeGreaterThan(0);
  });

  it("writes '-' for a missing User-Agent, Referer and X-Forwarded-For, and for the upstream of a generated response", async () => {
    const x = await httpExchange(ports.none, "GET /nothing?tag=no-pool HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
    expect(x.response.startsWith("HTTP/1.1 503")).toBe(true);
    const e = await recordOf("tag=no-pool");
    expect(e.status).toBe(503);
    expect([e.httpUserAgent, e.httpReferer, e.httpXForwardedFor]).toEqual([null, null, null]);
    expect([e.upstreamStatus, e.upstreamConnectTime, e.upstreamHeaderTime, e.upstreamResponseTime, e.upstreamAddr]).toEqual([null, null, null, null, null]);
    expect([e.poolName, e.memberName, e.upstreamAddrPriv]).toEqual([null, null, null]);
    expect(e.bytesSent).toBe(x.responseBytes);
    expect(e.bodyBytesSent).toBe(x.responseBytes - headLength(x.response));
  });

  it("logs a 502 from a member that refuses connections", async () => {
    const x = await httpExchange(ports.dead, "GET /down?tag=dead HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
    expect(x.response.startsWith("HTTP/1.1 502")).toBe(true);
    const e = await recordOf("tag=dead");
    expect(e.status).toBe(502);
    expect(e.upstreamStatus).toBe("502");
    expect(e.upstreamConnectTime).toBeNull(); // never connected: '-'
    expect(e.upstreamHeaderTime).toBeNull();
    expect(e.upstreamResponseTime).toMatch(/^\d+\.\d{3}$/);
    expect(e.upstreamAddr).toBe(`127.0.0.1:${deadPort}`);
    expect([e.poolName, e.memberName]).toEqual(["pool_p-dead", "member_m-dead"]);
  });

  it("writes pool_name '-' for a request answered by a redirect (it went to no group, though the listener has a default one)", async () => {
    const x = await httpExchange(ports.redirect, "GET /moved?tag=redirected HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n");
    expect(x.response.startsWith("HTTP/1.1 301")).toBe(true);
    const e = await recordOf("tag=redirected");
    expect([e.status, e.poolName, e.memberName, e.upstreamAddr]).toEqual([301, null, null, null]);
  });

  it("lists every attempt of a retried request, nginx style ('502, 200')", async () => {
    // Round robin over [refusing, answering]: some request goes to the refusing member first and is retried.
    let retried: AccessLogEntry | undefined;
    for (let i = 0; i < 4 && retried === undefined; i++) {
      const x = await httpExchange(ports.retry, `GET /r?tag=retry-${i} HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n`);
      expect(x.response.startsWith("HTTP/1.1 200")).toBe(true);
      const e = await recordOf(`tag=retry-${i}`);
      if (e.upstreamStatus !== "200") retried = e;
    }
    expect(retried, "a request that was retried").toBeDefined();
    const e = retried!;
    expect(e.status).toBe(200);
    expect(e.upstreamStatus).toBe("502, 200");
    expect(e.upstreamAddr).toBe(`127.0.0.1:${deadPort}, 127.0.0.1:${backendPort}`);
    expect(e.upstreamConnectTime).toMatch(/^-, \d+\.\d{3}$/);
    expect(e.upstreamHeaderTime).toMatch(/^-, \d+\.\d{3}$/);
    expect(e.upstreamResponseTime).toMatch(/^\d+\.\d{3}, \d+\.\d{3}$/);
    expect(e.upstreamAddrPriv).toBe(`127.0.0.1:${backendPort}`);
    expect(e.memberName).toBe("member_m-second");
  });
});

describe("access log of an HTTPS listener (SNI, mutual authentication, HTTP/2)", () => {
  const tlsOptions = (servername: string, alpn: string[]) => ({
    host: "127.0.0.1",
    port: ports.https,
    servername,
    ca: pki.root.certPem,
    cert: clientCert.chainPem,
    key: clientCert.keyPem,
    ALPNProtocols: alpn,
  });

  it("writes the certificate served, the TLS protocol and cipher and the SNI name", async () => {
    const socket = tls.connect(tlsOptions("sni.example.test", ["http/1.1"]));
    let protocol: string | null = null;
    let cipher = "";
    socket.once("secureConnect", () => {
      protocol = socket.getProtocol();
      cipher = socket.getCipher().name;
    });
    const request = "POST /secure/form?tag=https-sni HTTP/1.1\r\nHost: sni.example.test\r\nContent-Length: 11\r\nUser-Agent: tls-probe\r\nConnection: close\r\n\r\nhello=world";
    const x = await rawExchange(socket, request);
    expect(x.response.startsWith("HTTP/1.1 200")).toBe(true);
    const e = await recordOf("tag=https-sni");
    expect([e.requestMethod, e.scheme, e.host, e.routerRequestUri, e.serverProtocol]).toEqual(["POST", "https", "sni.example.test", "/secure/form?tag=https-sni", "HTTP/1.1"]);
    expect([e.remoteAddr, e.remotePort]).toEqual(["127.0.0.1", x.clientPort]);
    expect(e.requestLength).toBe(x.requestBytes); // head and its 11-byte body
    expect(e.bytesSent).toBe(x.responseBytes);
    expect(e.bodyBytesSent).toBe(x.responseBytes - headLength(x.response)); // chunked here: the framing counts, as in nginx
    expect(e.httpUserAgent).toBe("tls-probe");
    expect(e.certificateId).toBe("cert-sni");
    expect(e.sslProtocol).toBe(protocol);
    expect(e.sslCipher).toBe(cipher);
    expect(e.sniDomainName).toBe("sni.example.test");
    expect([e.listenerName, e.eipPort, e.poolName, e.memberName]).toEqual(["listener_l-https", ports.https, "pool_p-live", "member_m-live"]);
    expect(e.tcpinfoRtt).toBeGreaterThan(0);
  });

  it("writes the Server Certificate's id for a name no SNI certificate has", async () => {
    const x = await rawExchange(tls.connect(tlsOptions("main.example.test", ["http/1.1"])), "GET /?tag=https-main HTTP/1.1\r\nHost: main.example.test\r\nConnection: close\r\n\r\n");
    expect(x.response.startsWith("HTTP/1.1 200")).toBe(true);
    const e = await recordOf("tag=https-main");
    expect([e.certificateId, e.sniDomainName]).toEqual(["cert-main", "main.example.test"]);
  });

  it("logs an HTTP/2 request as HTTP/2.0", async () => {
    const session = http2.connect(`https://main.example.test:${ports.https}`, { ...tlsOptions("main.example.test", ["h2"]) });
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const stream = session.request({ ":path": "/h2/path?tag=h2", "user-agent": "h2-probe", referer: "https://r.test/" });
        let text = "";
        stream.setEncoding("utf8");
        stream.on("data", (d: string) => (text += d));
        stream.on("end", () => resolve(text));
        stream.on("error", reject);
      });
      expect(body).toBe(BODY);
    } finally {
      session.close();
    }
    const e = await recordOf("tag=h2");
    expect([e.requestMethod, e.scheme, e.host, e.routerRequestUri, e.serverProtocol, e.status]).toEqual(["GET", "https", "main.example.test", "/h2/path?tag=h2", "HTTP/2.0", 200]); // :authority without its port
    expect([e.httpUserAgent, e.httpReferer, e.httpXForwardedFor]).toEqual(["h2-probe", "https://r.test/", null]);
    expect(e.bodyBytesSent).toBe(BODY.length);
    expect(e.upstreamStatus).toBe("200");
    expect([e.certificateId, e.sniDomainName]).toEqual(["cert-main", "main.example.test"]);
    expect(e.sslProtocol).toMatch(/^TLSv1\.[23]$/);
  });

  it("writes pool_name '-' for an HTTP/2 stream refused before it is routed (CONNECT: 405)", async () => {
    const session = http2.connect(`https://main.example.test:${ports.https}`, { ...tlsOptions("main.example.test", ["h2"]) });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const stream = session.request({ ":method": "CONNECT", ":authority": "h2-refused.test:443" });
        stream.on("response", (headers) => resolve(Number(headers[":status"])));
        stream.on("error", reject);
        stream.resume();
      });
      expect(status).toBe(405);
    } finally {
      session.close();
    }
    const e = await recordOf((r) => r.requestMethod === "CONNECT");
    expect([e.status, e.serverProtocol, e.poolName, e.memberName, e.upstreamAddr]).toEqual([405, "HTTP/2.0", null, null, null]);
  });

  it("reports the records written in the metrics message", async () => {
    const onDisk = (await records()).length;
    expect(onDisk).toBeGreaterThanOrEqual(9); // every request of the tests above
    const written = () => engine.messages.findLast((m) => m.type === "metrics")?.accessLogs.find((s) => s.streamId === "stream-1");
    await waitFor(() => written()?.written === onDisk, 15_000, `metrics reporting ${onDisk} records written`);
    expect(written()).toEqual({ streamId: "stream-1", written: onDisk, dropped: 0, syslogSent: 0, syslogDropped: 0 });
  }, 20_000);
});

