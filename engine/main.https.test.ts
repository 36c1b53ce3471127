import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Snapshot } from "./protocol/snapshot.types";
import { freePort } from "./test-support/backends";
import { buildEngine, startEngine, type EngineProcess } from "./test-support/engine-process";
import { listener, member, pool, snapshot } from "./test-support/fixtures";
import { TEST_SECRET_KEY_HEX, createTestPki, toSnapshotCertificate, type TestCertificate, type TestPki } from "./test-support/test-certificates";

/**
 * HTTPS through the built engine as a black box (ELB_ENGINE_WORKERS=2): the secret key comes from the
 * environment the console gives (ELB_SECRET_KEY_FILE), and a TLS session saved from one connection resumes
 * whichever worker thread the kernel hands the reconnect to (ticket keys shared by the workers).
 */
let dir = "";
let entry = "";
let pki: TestPki;
let server: TestCertificate;
let backend: http.Server;
let backendPort = 0;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "elb-https-"));
  entry = path.join(dir, "main.js");
  pki = await createTestPki();
  [server] = await Promise.all([pki.server({ commonName: "www.example.test" }), buildEngine(entry)]);
  backend = http.createServer((req, res) => res.end(`ok ${String(req.headers["x-forwarded-proto"])}`));
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  backendPort = (backend.address() as { port: number }).port;
}, 120_000);
afterAll(async () => {
  await new Promise<void>((resolve) => backend?.close(() => resolve()));
  await pki?.cleanup();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

function httpsSnapshot(port: number): Snapshot {
  const l = listener("l1", port, "p", { protocol: "HTTPS", idleTimeoutSeconds: 60, tls: { certificateId: "c1", sniCertificateIds: [], caCertificateId: null, http2: true } });
  return { ...snapshot(1, [l], [pool("p", [member("m1", backendPort)], { protocol: "HTTP" })]), certificates: [toSnapshotCertificate("c1", server)] };
}

/** openssl s_client with one request; resolves with its output (bounded at 10 s). */
function sClient(port: number, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn("openssl", ["s_client", "-connect", `127.0.0.1:${port}`, "-servername", "www.example.test", "-CAfile", pki.root.certPath, "-ign_eof", ...args]);
    let out = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", () => {
      clearTimeout(timer);
      resolve(out);
    });
    child.stdin.end("GET / HTTP/1.1\r\nHost: www.example.test\r\nConnection: close\r\n\r\n");
  });
}

async function workersAccepted(engine: EngineProcess, nonce: number): Promise<number[]> {
  engine.child.send({ type: "ping", nonce });
  const pong = await engine.next("pong", (m) => m.nonce === nonce);
  return (pong.workers ?? []).map((w) => w.connectionsAccepted ?? 0);
}

describe("engine process: HTTPS with two worker threads", () => {
  it("a session saved from one connection is resumed on every reconnect, whichever worker takes it", async () => {
    const keyFile = path.join(dir, "secret.key");
    await writeFile(keyFile, `${TEST_SECRET_KEY_HEX}\n`, { mode: 0o600 });
    const engine = startEngine(entry, { ELB_ENGINE_WORKERS: "2", ELB_SECRET_KEY_FILE: keyFile, ELB_SECRET_KEY: "" }, children);
    await engine.next("ready");
    const port = await freePort();
    engine.child.send({ type: "snapshot", snapshot: httpsSnapshot(port) });
    expect((await engine.next("applied")).errors).toEqual([]);

    const session = path.join(dir, "session.pem");
    const first = await sClient(port, ["-sess_out", session]);
    expect(first).toContain("ok https");
    expect(first).toMatch(/^New, TLSv1\.3/m);
    const outcomes: string[] = [];
    for (let i = 0; i < 16; i++) {
      const again = await sClient(port, ["-sess_in", session]);
      expect(again).toContain("ok https");
      outcomes.push(/^(New|Reused), /m.exec(again)?.[1] ?? "?");
    }
    expect(outcomes).toEqual(Array(16).fill("Reused"));
    // The kernel spread the 17 connections over both workers (SO_REUSEPORT hashes the client port).
    const accepted = await workersAccepted(engine, 1);
    expect(accepted).toHaveLength(2);
    expect(accepted.every((n) => n > 0)).toBe(true);
  }, 60_000);

  it("without the secret key the listener reports an error naming the certificate and the engine keeps running", async () => {
    const engine = startEngine(entry, { ELB_ENGINE_WORKERS: "2", ELB_SECRET_KEY: "", ELB_SECRET_KEY_FILE: "" }, children);
    await engine.next("ready");
    const port = await freePort();
    engine.child.send({ type: "snapshot", snapshot: httpsSnapshot(port) });
    const applied = await engine.next("applied");
    expect(applied.errors.length).toBeGreaterThan(0);
    for (const error of applied.errors) {
      expect(error.listenerId).toBe("l1");
      expect(error.message).toMatch(/Server Certificate c1: cannot open its private key: no secret key/);
    }
    expect(await workersAccepted(engine, 2)).toHaveLength(2);
    expect(engine.child.exitCode).toBeNull();
  }, 30_000);
});
