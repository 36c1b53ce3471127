import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpsHandler } from "../../../listeners/https";
import type { Snapshot } from "../../../protocol/snapshot.types";
import { EngineRuntime } from "../../../runtime/engine-runtime";
import { freePort } from "../../../test-support/backends";
import { listener, member, pool, snapshot } from "../../../test-support/fixtures";
import { RecordingObserver } from "../../../test-support/recording-observer";
import { TEST_SECRET_KEY, createTestPki, toSnapshotCertificate, type TestPki } from "../../../test-support/test-certificates";
import { TicketKeys } from "../../../tls/ticket-keys";
import { startBackend, type HttpBackend } from "../../test-support/http-fixture";

/**
 * The engine's HTTP/2 frontend against the real h2 clients of Debian's nghttp2-client and curl, through
 * an HTTPS listener with HTTP/2 on (engine runtime, TLS, ALPN h2) to an HTTP/1.1 backend: many
 * streams on one connection, a 5 MiB download on a small stream window, uploads, h2load.
 */

const run = promisify(execFile);
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

const BIG = randomBytes(5 * 1024 * 1024);
let pki: TestPki;
let backend: HttpBackend;
let rt: EngineRuntime;
let port: number;
let dir: string;
let upload: string;
const UPLOAD = randomBytes(3 * 1024 * 1024 + 17);

beforeAll(async () => {
  pki = await createTestPki();
  const cert = await pki.server({ commonName: "h2.example.test" });
  dir = await mkdtemp(path.join(tmpdir(), "h2-clients-"));
  upload = path.join(dir, "upload.bin");
  await writeFile(upload, UPLOAD);
  backend = await startBackend("b1", (req, res) => {
    if (req.url === "/big") {
      res.setHeader("Content-Length", String(BIG.length));
      return void res.end(BIG);
    }
    const hash = createHash("sha256");
    let bytes = 0;
    req.on("data", (c: Buffer) => {
      hash.update(c);
      bytes += c.length;
    });
    req.on("end", () => res.end(req.url === "/sum" ? `${bytes} ${hash.digest("hex")}` : `path=${req.url}`));
  });
  port = await freePort();
  const l = listener("l1", port, "p", {
    protocol: "HTTPS",
    tls: { certificateId: "cert", sniCertificateIds: [], caCertificateId: null, http2: true },
    idleTimeoutSeconds: 60,
  });
  const snap: Snapshot = { ...snapshot(1, [l], [pool("p", [member("m1", backend.port)], { protocol: "HTTP" })]), certificates: [toSnapshotCertificate("cert", cert)] };
  const tls = { secretKey: { key: TEST_SECRET_KEY, problem: null }, ticketKeys: new TicketKeys() };
  rt = new EngineRuntime({ handlerFactories: { HTTPS: (route) => createHttpsHandler(route, { tls }) }, observer: new RecordingObserver(), drainGraceMs: 500 });
  const result = await rt.apply(snap);
  expect(result.errors).toEqual([]);
}, 60_000);

afterAll(async () => {
  await rt?.stop(200);
  await backend?.close();
  await pki?.cleanup();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const url = (p: string) => `https://h2.example.test:${port}${p}`;
const curlArgs = () => ["-sS", "--http2", "--max-time", "20", "--cacert", pki.root.certPath, "--resolve", `h2.example.test:${port}:127.0.0.1`];
const nghttp = (args: string[]) => run("nghttp", ["-y", ...args], { timeout: 30_000, encoding: "buffer", maxBuffer: 64 * 1024 * 1024 });

describe("HTTP/2 through an HTTPS listener with nghttp, curl and h2load", () => {
  it("nghttp: 50 concurrent streams of one URI on one connection, each answered", async () => {
    const { stdout } = await nghttp(["-m", "50", `https://127.0.0.1:${port}/many`]);
    expect(stdout.toString()).toBe("path=/many".repeat(50));
  });

  it("nghttp: a 5 MiB download on a 16 KiB stream window arrives whole", async () => {
    const { stdout } = await nghttp(["-w", "14", "-W", "16", `https://127.0.0.1:${port}/big`]);
    expect(stdout.length).toBe(BIG.length);
    expect(sha256(stdout)).toBe(sha256(BIG));
  });

  it("nghttp: a 3 MiB upload (-d) reaches the backend whole", async () => {
    const { stdout } = await nghttp(["-d", upload, `https://127.0.0.1:${port}/sum`]);
    expect(stdout.toString()).toBe(`${UPLOAD.length} ${sha256(UPLOAD)}`);
  });

  it("curl --http2: three URLs on one connection, then a 3 MiB upload and the 5 MiB download", async () => {
    const three = await run("curl", [...curlArgs(), "-w", "|%{http_version}|%{num_connects}\n", url("/1"), url("/2"), url("/3")], { timeout: 30_000 });
    expect(three.stdout).toBe("path=/1|2|1\npath=/2|2|0\npath=/3|2|0\n");
    const up = await run("curl", [...curlArgs(), "--data-binary", `@${upload}`, url("/sum")], { timeout: 30_000 });
    expect(up.stdout).toBe(`${UPLOAD.length} ${sha256(UPLOAD)}`);
    const down = await run("curl", [...curlArgs(), url("/big")], { timeout: 30_000, encoding: "buffer", maxBuffer: 64 * 1024 * 1024 });
    expect(sha256(down.stdout)).toBe(sha256(BIG));
  });

  it("h2load -c4 -m20 -n4000: every request succeeds", async () => {
    const { stdout } = await run("h2load", ["-c4", "-m20", "-n4000", `https://127.0.0.1:${port}/load`], { timeout: 60_000 });
    expect(stdout).toContain("requests: 4000 total, 4000 started, 4000 done, 4000 succeeded, 0 failed, 0 errored, 0 timeout");
    expect(stdout).toContain("status codes: 4000 2xx, 0 3xx, 0 4xx, 0 5xx");
  }, 60_000);
});
