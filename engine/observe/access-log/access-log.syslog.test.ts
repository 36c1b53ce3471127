import type { ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessLogStreamFolder } from "../../protocol/access-log-files";
import { parseAccessLogLine } from "../../protocol/access-log-line";
import type { SnapshotAccessLog } from "../../protocol/snapshot.types";
import { freePort, waitFor } from "../../test-support/backends";
import { buildEngine, startEngine, type EngineProcess } from "../../test-support/engine-process";
import { listener, member, pool, snapshot } from "../../test-support/fixtures";
import { skipLoudly } from "../../test-support/skip-loudly";
import { rsyslogMissing, startRsyslog, type Rsyslog } from "./test-support/rsyslog";

/**
 * Syslog delivery of access-log records to a real rsyslogd on loopback (its own config: imudp and
 * imtcp on free ports, the message alone written to a file), from the built engine: over UDP (RFC 5424,
 * one record per datagram) and TCP (RFC 6587 octet counting), what rsyslog received equals, line for
 * line, what the engine wrote to the stream's files, and rsyslog's RFC 5424 parser reads every header
 * field (PRI, VERSION, TIMESTAMP, HOSTNAME, APP-NAME, PROCID, MSGID, STRUCTURED-DATA) as the engine sent it.
 */
const skip = skipLoudly("access-log.syslog.test.ts", rsyslogMissing());

let dir = "";
let rsyslog: Rsyslog;
let engine: EngineProcess;
let backend: http.Server;
const children: ChildProcess[] = [];
const ports = { udp: 0, tcp: 0 };

const logOf = (streamId: string, protocol: "UDP" | "TCP", port: number): SnapshotAccessLog => ({
  streamId,
  groupId: "group-s",
  tenantId: "tenant-s",
  eipAddress: null,
  retentionDays: 7,
  maxBytes: 1 << 30,
  syslog: { protocol, host: "127.0.0.1", port },
});

beforeAll(async () => {
  if (skip) return;
  dir = await mkdtemp(path.join(os.tmpdir(), "elb-access-syslog-"));
  const entry = path.join(dir, "main.js");
  [rsyslog] = await Promise.all([startRsyslog(), buildEngine(entry)]);
  backend = http.createServer((req, res) => res.writeHead(200, { "content-length": 2 }).end("ok"));
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  const backendPort = (backend.address() as net.AddressInfo).port;
  ports.udp = await freePort();
  ports.tcp = await freePort();
  engine = startEngine(entry, { ELB_ENGINE_WORKERS: "1", ELB_ENGINE_STATE_DIR: path.join(dir, "state"), ELB_METRICS_INTERVAL_MS: "300" }, children);
  await engine.next("ready");
  const listeners = [
    { ...listener("l-udp", ports.udp, "p", { protocol: "HTTP", idleTimeoutSeconds: 60 }), accessLog: logOf("s-udp", "UDP", rsyslog.udpPort) },
    { ...listener("l-tcp", ports.tcp, "p", { protocol: "HTTP", idleTimeoutSeconds: 60 }), accessLog: logOf("s-tcp", "TCP", rsyslog.tcpPort) },
  ];
  engine.child.send({ type: "snapshot", snapshot: snapshot(1, listeners, [pool("p", [member("m", backendPort)], { protocol: "HTTP" })]) });
  expect((await engine.next("applied")).errors).toEqual([]);
}, 120_000);

afterAll(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await rsyslog?.stop();
  await new Promise<void>((resolve) => (backend ? backend.close(() => resolve()) : resolve()));
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

/** `count` keep-alive requests on one connection, each with its own tag and User-Agent. */
async function requests(port: number, tag: string, count: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve, reject) => {
      http
        .get({ host: "127.0.0.1", port, path: `/${tag}?n=${i}`, agent, headers: { "user-agent": `syslog-probe "${i}"` } }, (res) => {
          res.resume();
          res.on("end", () => resolve());
        })
        .on("error", reject);
    });
  }
  agent.destroy();
}

/** The lines of a stream's files. */
async function fileLines(streamId: string): Promise<string[]> {
  const folder = accessLogStreamFolder(path.join(dir, "state"), "group-s", streamId);
  const out: string[] = [];
  for (const name of (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith(".log"))) {
    out.push(...(await readFile(path.join(folder, name), "latin1")).split("\n").filter((l) => l !== ""));
  }
  return out;
}

async function deliveredEqualsWritten(streamId: string, count: number): Promise<void> {
  let written: string[] = [];
  const deadline = Date.now() + 8000;
  while ((written = await fileLines(streamId)).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(written).toHaveLength(count);
  const received = (await rsyslog.waitForLines(0)).filter((l) => parseAccessLogLine(l)?.accessLogTopicId === streamId);
  expect(received.sort()).toEqual([...written].sort());
  for (const line of received) expect(parseAccessLogLine(line)!.httpUserAgent).toMatch(/^syslog-probe "\d+"$/);
  // rsyslog's RFC 5424 parser read each header as the sender wrote it: <134>1 TIMESTAMP HOSTNAME elb PROCID access - MSG.
  const headers = (await rsyslog.headers()).filter((h) => parseAccessLogLine(h.msg)?.accessLogTopicId === streamId);
  expect(headers.map((h) => h.msg).sort()).toEqual([...written].sort());
  const hostname = os.hostname().replace(/[^\x21-\x7e]/g, "").slice(0, 255) || "-";
  for (const h of headers) {
    expect([h.pri, h.protocolVersion, h.hostname, h.appName, h.procId, h.msgId, h.structuredData]).toEqual(["134", "1", hostname, "elb", String(engine.child.pid), "access", "-"]);
    expect(h.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$/);
    expect(Date.parse(h.timestamp) / 1000).toBe(parseAccessLogLine(h.msg)!.msec); // the record's own time, to the millisecond
  }
}

describe.skipIf(skip)("access log forwarded to rsyslog", () => {
  it("over UDP: one RFC 5424 datagram per record, received equal to the file's lines", async () => {
    await requests(ports.udp, "udp", 20);
    await rsyslog.waitForLines(20);
    await deliveredEqualsWritten("s-udp", 20);
  });

  it("over TCP with octet counting: received equal to the file's lines, counted as sent", async () => {
    await requests(ports.tcp, "tcp", 20);
    await rsyslog.waitForLines(40);
    await deliveredEqualsWritten("s-tcp", 20);
    await waitFor(
      () => engine.messages.findLast((m) => m.type === "metrics")?.accessLogs.some((s) => s.streamId === "s-tcp" && s.syslogSent === 20 && s.syslogDropped === 0) === true,
      8000,
      "metrics: 20 records sent to syslog",
    );
  });
});
