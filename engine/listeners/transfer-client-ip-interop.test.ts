import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MemberHealthReport } from "../protocol/ipc.types";
import type { ClientIpTransport, Snapshot } from "../protocol/snapshot.types";
import { EngineRuntime } from "../runtime/engine-runtime";
import { freePort, waitFor } from "../test-support/backends";
import { listener, member, monitor, pool, snapshot } from "../test-support/fixtures";
import { HAPROXY, startHaproxy } from "../test-support/haproxy";
import { getBodyFrom } from "../test-support/http-get";
import { NGINX, startNginx } from "../test-support/nginx";
import { skipLoudly } from "../test-support/skip-loudly";

/**
 * Interop of Transfer Client IP Address (issue 10, (a) and (b)): the engine's TCP listener sends PROXY
 * v1 and v2 to Debian's nginx (`listen … proxy_protocol; real_ip_header proxy_protocol`) and HAProxy
 * (`bind … accept-proxy`), which answer with the client address they see; clients are bound to their own
 * 127.x. The groups are HTTP-health-checked with the probe header (v2 LOCAL, v1 `PROXY UNKNOWN`): a new
 * member takes no traffic before its first successful check, so every answer also proves the probes pass.
 */

/** nginx, one process, answering `$remote_addr:$proxy_protocol_addr` on a proxy_protocol listen. */
const startNginxBehindProxyProtocol = (dir: string) =>
  startNginx(
    dir,
    `set_real_ip_from 127.0.0.0/8;
    real_ip_header proxy_protocol;
    access_log ${path.join(dir, "access.log")} combined;
    location / { default_type text/plain; return 200 "$remote_addr:$proxy_protocol_addr"; }`,
    { listenParameters: "proxy_protocol" },
  );

/**
 * Health probes nginx answered: its access log's lines from the engine's own address (a LOCAL / UNKNOWN
 * header names no client, so `$remote_addr` stays the connection's). nginx logs no request of a
 * connection whose PROXY header it refused ("broken header"), so each line is a probe that carried one.
 */
function probesAnswered(dir: string): number {
  const file = path.join(dir, "access.log");
  if (!existsSync(file)) return 0;
  return readFileSync(file, "utf8").split("\n").filter((line) => line.startsWith("127.0.0.1 ")).length;
}

/** HAProxy in the foreground, answering `%[src]` on an accept-proxy bind; its port. */
async function startHaproxyAcceptProxy(dir: string): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const config = `global
  maxconn 64
defaults
  mode http
  timeout connect 2s
  timeout client 5s
  timeout server 5s
frontend fe
  bind 127.0.0.1:${port} accept-proxy
  http-request return status 200 content-type text/plain lf-string "%[src]"
`;
  const haproxy = await startHaproxy(dir, config, [{ host: "127.0.0.1", port }]);
  return { port, stop: () => haproxy.stop() };
}

/** The engine with one TCP listener in front of `memberPort`, HTTP-health-checked; `apply(version, transport)` re-applies. */
async function engineBefore(memberPort: number) {
  const health: MemberHealthReport[] = [];
  const runtime = new EngineRuntime({ drainGraceMs: 200, onHealthChange: (report) => health.push(report) });
  const port = await freePort();
  const listeners = [listener("l", port, "p")];
  const healthMonitor = monitor({ protocol: "HTTP", path: "/", expectedCodes: [200], maxRetries: 2 });
  const at = (version: number, transferClientIp: ClientIpTransport | null): Snapshot =>
    snapshot(version, listeners, [pool("p", [member("m", memberPort)], { healthMonitor, transferClientIp })]);
  return {
    port,
    health,
    healthy: () => health.at(-1)?.status === "HEALTHY",
    apply: async (version: number, transport: ClientIpTransport | null) => expect((await runtime.apply(at(version, transport))).errors).toEqual([]),
    stop: () => runtime.stop(100),
  };
}

const missing = [NGINX, HAPROXY].filter((binary) => !existsSync(binary));
// scripts/test.sh installs them from Debian; a machine without them says so instead of passing silently.
const skip = skipLoudly("transfer-client-ip-interop", missing.length > 0 ? `${missing.join(", ")} not installed (apt-get install nginx haproxy)` : null);

describe.skipIf(skip)("Transfer Client IP Address with real PROXY protocol receivers", () => {
  let dir = "";
  const cleanups: (() => unknown)[] = [];
  beforeAll(() => void (dir = mkdtempSync(path.join(os.tmpdir(), "elb-transfer-ip-"))));
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("(a) nginx `real_ip_header proxy_protocol` sees the client's own 127.x over PROXY v1 and v2, and its HTTP health check with the header keeps it healthy", async () => {
    const nginxDir = path.join(dir, "nginx-a");
    const nginx = await startNginxBehindProxyProtocol(nginxDir);
    cleanups.push(() => nginx.stop());
    const engine = await engineBefore(nginx.port);
    cleanups.push(() => engine.stop());

    await engine.apply(1, "PROXY_V1");
    await waitFor(engine.healthy, 4000, "nginx healthy with PROXY UNKNOWN probes");
    expect(await getBodyFrom(engine.port, "127.0.0.61")).toBe("127.0.0.61:127.0.0.61");
    expect(await getBodyFrom(engine.port, "127.0.0.62")).toBe("127.0.0.62:127.0.0.62");

    await engine.apply(2, "PROXY_V2");
    const probesBefore = probesAnswered(nginxDir);
    expect(await getBodyFrom(engine.port, "127.0.0.63")).toBe("127.0.0.63:127.0.0.63");
    expect(await getBodyFrom(engine.port, "127.0.0.64")).toBe("127.0.0.64:127.0.0.64");
    // v2 LOCAL probes since the switch, answered by nginx (one in flight at the switch may be a v1 one).
    await waitFor(() => probesAnswered(nginxDir) >= probesBefore + 3, 8000, "nginx answered v2 LOCAL probes");
    expect(engine.health.map((h) => h.status)).toEqual(["HEALTHY"]);

    // Without the header nginx refuses the probes ("broken header"): the member goes down.
    await engine.apply(3, null);
    await waitFor(() => !engine.healthy(), 6000, "nginx unhealthy once probes carry no header");
  });

  it("(b) HAProxy `accept-proxy` sees the client's own 127.x over PROXY v1 and v2, and stays healthy under probes with the header", async () => {
    const haproxy = await startHaproxyAcceptProxy(path.join(dir, "haproxy-b"));
    cleanups.push(() => haproxy.stop());
    const engine = await engineBefore(haproxy.port);
    cleanups.push(() => engine.stop());

    await engine.apply(1, "PROXY_V1");
    await waitFor(engine.healthy, 4000, "HAProxy healthy with PROXY UNKNOWN probes");
    expect(await getBodyFrom(engine.port, "127.0.0.71")).toBe("127.0.0.71");

    await engine.apply(2, "PROXY_V2");
    expect(await getBodyFrom(engine.port, "127.0.0.72")).toBe("127.0.0.72");
    expect(await getBodyFrom(engine.port, "127.0.0.73")).toBe("127.0.0.73");
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(engine.health.map((h) => h.status)).toEqual(["HEALTHY"]);
  });
});
