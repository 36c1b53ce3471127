import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SnapshotClientIp } from "../protocol/snapshot.types";
import { EngineRuntime } from "../runtime/engine-runtime";
import { freePort } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import { getBodyFrom } from "../test-support/http-get";
import { clientIpSettings } from "./test-support/http-fixture";
import { NGINX, startNginx } from "../test-support/nginx";
import { skipLoudly } from "../test-support/skip-loudly";

/**
 * Interop (d) of issue 10: Debian's nginx as the backend of an engine HTTP listener (the whole engine:
 * EngineRuntime, its listener set and HTTP handler), configured as guide 10.7.1 tells backend operators
 * — `set_real_ip_from 127.0.0.0/8; real_ip_header X-Forwarded-For;` — and answering `$remote_addr`.
 * Clients are bound to their own 127.x: nginx must name each client by its own address, from our
 * X-Forwarded-For alone (its TCP peer is always the engine on 127.0.0.1).
 */

const skip = skipLoudly("client-ip-nginx", existsSync(NGINX) ? null : `${NGINX} not installed (apt-get install nginx)`);

let dir = "";
const cleanups: (() => Promise<void>)[] = [];
beforeAll(() => void (dir = mkdtempSync(path.join(os.tmpdir(), "elb-xff-nginx-"))));
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** nginx believing X-Forwarded-For from loopback (`recursive`: `real_ip_recursive on`), answering `$remote_addr`. */
async function nginxBackend(name: string, recursive: boolean): Promise<number> {
  const peer = await startNginx(
    path.join(dir, name),
    `set_real_ip_from 127.0.0.0/8;
    real_ip_header X-Forwarded-For;
    real_ip_recursive ${recursive ? "on" : "off"};
    location / { default_type text/plain; return 200 "$remote_addr"; }`,
  );
  cleanups.push(() => peer.stop());
  return peer.port;
}

/** The engine with one HTTP listener (client IP settings `clientIp`) in front of `memberPort`; its port. */
async function engineBefore(memberPort: number, clientIp: Partial<SnapshotClientIp>): Promise<number> {
  const runtime = new EngineRuntime({ drainGraceMs: 200 });
  cleanups.push(() => runtime.stop(100));
  const port = await freePort();
  const front = listener("l", port, "p", { protocol: "HTTP", clientIp: clientIpSettings(clientIp) });
  const result = await runtime.apply(snapshot(1, [front], [pool("p", [member("nginx", memberPort)], { protocol: "HTTP" })]));
  expect(result.errors).toEqual([]);
  return port;
}

describe.skipIf(skip)("nginx real_ip_header X-Forwarded-For behind an engine HTTP listener", () => {
  it("names every client by its own address, defaults (append) — even a client claiming another address", async () => {
    const port = await engineBefore(await nginxBackend("plain", false), {});
    expect(await getBodyFrom(port, "127.0.0.71")).toBe("127.0.0.71");
    expect(await getBodyFrom(port, "127.0.0.72")).toBe("127.0.0.72");
    // nginx takes the last address of the chain: ours, appended after the claim.
    expect(await getBodyFrom(port, "127.0.0.73", { "X-Forwarded-For": "203.0.113.9" })).toBe("127.0.0.73");
  });

  it("real_ip_recursive on: a trusted front proxy's chain names its client; an untrusted client's claim is dropped (trusted-only)", async () => {
    const frontProxy = "127.0.0.74";
    const port = await engineBefore(await nginxBackend("recursive", true), { xForwardedForTrustedOnly: true, trustedIps: [frontProxy] });
    // A proxy in front of the engine (on 127.0.0.74) says its client is 198.51.100.9.
    expect(await getBodyFrom(port, frontProxy, { "X-Forwarded-For": "198.51.100.9" })).toBe("198.51.100.9");
    // A client on 127.0.0.75 claiming the same: the engine drops the claim, nginx sees the client itself.
    expect(await getBodyFrom(port, "127.0.0.75", { "X-Forwarded-For": "198.51.100.9" })).toBe("127.0.0.75");
    expect(await getBodyFrom(port, "127.0.0.76")).toBe("127.0.0.76");
  });

  it("REPLACE with real_ip_recursive on: every client is itself, whatever it claims", async () => {
    const port = await engineBefore(await nginxBackend("replace", true), { xForwardedFor: "REPLACE" });
    expect(await getBodyFrom(port, "127.0.0.77", { "X-Forwarded-For": "198.51.100.9" })).toBe("127.0.0.77");
  });
});
