import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBackend, type HttpBackend } from "../l7/test-support/http-fixture";
import { DEFAULT_CLIENT_IP, type SnapshotClientIp } from "../protocol/snapshot.types";
import { EngineRuntime } from "../runtime/engine-runtime";
import { freePort, startTcpBackend, tcpHello, type TcpBackend } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import { HAPROXY, startHaproxy } from "../test-support/haproxy";
import type { PeerProcess } from "../test-support/peer-process";
import { firstLineVia } from "../test-support/proxy-accept-client";
import { RecordingObserver } from "../test-support/recording-observer";

/**
 * Interop (issue 10, (c)): the real HAProxy from Debian in front (`mode tcp`, `server … send-proxy` and
 * `send-proxy-v2`) of engine listeners with PROXY protocol accept and Trusted IPs = HAProxy's source
 * address (`source` on the server line). Clients bound to distinct 127.x addresses connect to HAProxy;
 * what reached the engine's backends is checked: the client's own address in X-Forwarded-For, SOURCE_IP
 * stickiness and access control keyed on it, and nothing at all for refused connections.
 */

/** HAProxy's source towards the engine (trusted), and a second one that is not trusted. */
const HAPROXY_SOURCE = "127.0.0.44";
const UNTRUSTED_SOURCE = "127.0.0.45";
const CLIENTS = ["127.0.0.101", "127.0.0.102", "127.0.0.103"];

let dir: string;
let haproxy: PeerProcess | null = null;
let rt: EngineRuntime;
const observer = new RecordingObserver();
let web: HttpBackend;
let tcpA: TcpBackend;
let tcpB: TcpBackend;
/** HAProxy frontends: HTTP listener via send-proxy, via send-proxy-v2, TCP listener via send-proxy-v2, untrusted source, no header. */
const front = { v1: 0, v2: 0, tcpV2: 0, untrusted: 0, noHeader: 0 };
let httpPort = 0;
let tcpPort = 0;

function haproxyConfig(): string {
  const backend = (name: string, port: number, frontPort: number, options: string) => `
frontend f_${name}
  bind 127.0.0.1:${frontPort}
  default_backend b_${name}
backend b_${name}
  server s1 127.0.0.1:${port} ${options}
`;
  return `
global
  maxconn 200
defaults
  mode tcp
  timeout connect 2s
  timeout client 10s
  timeout server 10s
${backend("v1", httpPort, front.v1, `send-proxy source ${HAPROXY_SOURCE}`)}
${backend("v2", httpPort, front.v2, `send-proxy-v2 source ${HAPROXY_SOURCE}`)}
${backend("tcpv2", tcpPort, front.tcpV2, `send-proxy-v2 source ${HAPROXY_SOURCE}`)}
${backend("untrusted", httpPort, front.untrusted, `send-proxy source ${UNTRUSTED_SOURCE}`)}
${backend("noheader", httpPort, front.noHeader, `source ${HAPROXY_SOURCE}`)}
`;
}

beforeAll(async () => {
  if (!existsSync(HAPROXY)) throw new Error("haproxy not installed (Debian package haproxy; npm test installs it)");
  dir = await mkdtemp(path.join(tmpdir(), "elb-haproxy-accept-"));
  web = await startBackend("web", (req, res) => {
    req.resume();
    req.on("end", () => res.end(`xff=${String(req.headers["x-forwarded-for"])}`));
  });
  [tcpA, tcpB] = await Promise.all([startTcpBackend("a"), startTcpBackend("b")]);
  httpPort = await freePort();
  tcpPort = await freePort();
  for (const name of Object.keys(front) as (keyof typeof front)[]) front[name] = await freePort();
  const clientIp: SnapshotClientIp = { ...DEFAULT_CLIENT_IP, proxyProtocolAccept: true, trustedIps: [HAPROXY_SOURCE] };
  rt = new EngineRuntime({ drainGraceMs: 200, observer });
  const sticky = { type: "SOURCE_IP" as const, cookieName: null, durationMinutes: 20 };
  const result = await rt.apply(
    snapshot(
      1,
      [
        listener("web", httpPort, "pweb", { protocol: "HTTP", clientIp, idleTimeoutSeconds: 30 }),
        listener("tcp", tcpPort, "ptcp", { clientIp, accessControl: { whitelist: [CLIENTS[0]!, CLIENTS[2]!] } }),
      ],
      [pool("pweb", [member("web", web.port)], { protocol: "HTTP" }), pool("ptcp", [member("a", tcpA.port), member("b", tcpB.port)], { stickySession: sticky })],
    ),
  );
  expect(result.errors).toEqual([]);
  const frontends = Object.values(front).map((port) => ({ host: "127.0.0.1", port }));
  haproxy = await startHaproxy(dir, haproxyConfig(), frontends, 10_000);
}, 60_000);

afterAll(async () => {
  await haproxy?.stop();
  await rt?.stop(100);
  await Promise.all([web?.close(), tcpA?.close(), tcpB?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** GET through HAProxy from `localAddress` (a fresh connection); resolves with the body, or the error's message. */
function getVia(port: number, localAddress: string): Promise<string> {
  return new Promise((resolve) => {
    const req = http.request({ host: "127.0.0.1", port, path: "/", localAddress, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve(body));
    });
    req.on("error", (err) => resolve(`error: ${err.message}`));
    req.setTimeout(5000, () => req.destroy(new Error("timed out")));
    req.end();
  });
}

function proxyErrors(): string[] {
  return observer.of("error").filter((e) => e.kind === "proxy_protocol").map((e) => (e.cause as Error).message);
}

describe("HAProxy in front (send-proxy / send-proxy-v2) into engine listeners with PROXY accept", () => {
  it("send-proxy (v1): the backend sees each client's own 127.x in X-Forwarded-For, not HAProxy's", async () => {
    const from = web.seen.length;
    for (const client of CLIENTS) expect(await getVia(front.v1, client)).toBe(`xff=${client}`);
    expect(web.seen.slice(from).map((s) => s.headers["x-forwarded-for"])).toEqual(CLIENTS);
  });

  it("send-proxy-v2: the same through the binary header", async () => {
    const from = web.seen.length;
    for (const client of [...CLIENTS].reverse()) expect(await getVia(front.v2, client)).toBe(`xff=${client}`);
    expect(web.seen.slice(from).map((s) => s.headers["x-forwarded-for"])).toEqual([...CLIENTS].reverse());
  });

  it("TCP listener behind send-proxy-v2: access control and SOURCE_IP stickiness are keyed on the client's address", async () => {
    const [allowed, refused, other] = CLIENTS as [string, string, string];
    const home = await tcpHello(front.tcpV2, "127.0.0.1", allowed);
    const away = await tcpHello(front.tcpV2, "127.0.0.1", other);
    expect(new Set([home, away])).toEqual(new Set(["a", "b"])); // two clients, one proxy: both members
    for (let i = 0; i < 3; i++) {
      expect(await tcpHello(front.tcpV2, "127.0.0.1", allowed)).toBe(home);
      expect(await tcpHello(front.tcpV2, "127.0.0.1", other)).toBe(away);
    }
    const accepted = tcpA.accepted + tcpB.accepted;
    const deniedBefore = observer.of("error").filter((e) => e.kind === "access_denied").length;
    await expect(tcpHello(front.tcpV2, "127.0.0.1", refused)).rejects.toThrow();
    expect(tcpA.accepted + tcpB.accepted).toBe(accepted); // nothing reached a backend
    expect(observer.of("error").filter((e) => e.kind === "access_denied").length).toBe(deniedBefore + 1);
  });

  it("a header from an untrusted peer (HAProxy from another source) is closed; the backend receives nothing", async () => {
    const from = web.seen.length;
    const errors = proxyErrors().length;
    expect(await getVia(front.untrusted, CLIENTS[0]!)).toMatch(/^error: /);
    expect(web.seen.length).toBe(from);
    expect(proxyErrors().slice(errors)).toEqual([`PROXY header from an untrusted peer ${UNTRUSTED_SOURCE}`]);
  });

  it("a trusted peer without a header (HAProxy without send-proxy), and a malformed header from the trusted address, are closed; the backend receives nothing", async () => {
    const from = web.seen.length;
    const errors = proxyErrors().length;
    expect(await getVia(front.noHeader, CLIENTS[1]!)).toMatch(/^error: /);
    const malformed = await firstLineVia(httpPort, HAPROXY_SOURCE, "PROXY TCP4 127.0.0.101 127.0.0.1 99999 80\r\n", "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(malformed.line).toBeNull();
    expect(web.seen.length).toBe(from);
    const causes = proxyErrors().slice(errors);
    expect(causes).toHaveLength(2);
    for (const cause of causes) expect(cause).toContain(`PROXY header refused from ${HAPROXY_SOURCE}`);
  });
});
