import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildEngine, startEngine, type EngineProcess } from "@/engine/test-support/engine-process";
import { freePort } from "@/engine/test-support/backends";
import { TEST_SECRET_KEY_HEX } from "@/engine/test-support/test-certificates";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { createTestLoadBalancer } from "../listener/test-fixtures";
import { createListener } from "../listener/create-listener";
import { addMembers } from "../member/add-members";
import { createLogGroup } from "../log-group/create-log-group";
import { createLogStream } from "../log-stream/create-log-stream";
import { loadConfigRows } from "../../control-plane/load-config-rows";
import { compileSnapshot } from "../../control-plane/compile";
import { configureAccessLog } from "./configure-access-log";
import { searchAccessLogs } from "./search-access-logs";
import { downloadAccessLogs } from "./download-access-logs";

/**
 * End to end on real parts: Configure Access Log on a real database, the compiled snapshot applied by a
 * real engine process, real HTTP requests through it to a real backend, and the console's search and
 * download reading the records the engine wrote into its state directory.
 */
let bed: ServiceTestBed;
let dir: string;
let engine: EngineProcess;
let backend: http.Server;
const children: ChildProcess[] = [];

beforeAll(async () => {
  bed = await createServiceTestBed();
  dir = mkdtempSync(path.join(os.tmpdir(), "elb-access-e2e-"));
  const entry = path.join(dir, "engine.mjs");
  await buildEngine(entry);
  backend = http.createServer((req, res) => {
    const status = req.url?.startsWith("/missing") ? 404 : 200;
    res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "hello" : "no");
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  const keyFile = path.join(dir, "secret.key");
  writeFileSync(keyFile, `${TEST_SECRET_KEY_HEX}\n`, { mode: 0o600 });
  engine = startEngine(entry, { ELB_ENGINE_WORKERS: "1", ELB_ENGINE_STATE_DIR: path.join(dir, "state"), ELB_SECRET_KEY_FILE: keyFile, ELB_SECRET_KEY: "" }, children);
  await engine.next("ready");
}, 180_000);
afterAll(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await new Promise((resolve) => backend?.close(resolve));
  await bed?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Polls an async condition every 200 ms until it holds or `timeoutMs` passed. */
async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** One GET on a new connection; the status (0 on failure). */
function get(url: string, userAgent: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 5000, headers: { "user-agent": userAgent } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
  });
}

describe("access logs through a real engine", () => {
  it("records the requests of a logging load balancer, and the search and download find them", async () => {
    const lb = await createTestLoadBalancer(bed, "elb-e2e-logs");
    const port = await freePort();
    const listener = await createListener(bed.ctx, { loadBalancerId: lb.id, name: "web", protocol: "HTTP", port, pool: { mode: "new", name: "web-group", algorithm: "ROUND_ROBIN" } });
    await addMembers(bed.ctx, { poolId: listener.pool!.id, members: [{ address: "127.0.0.1", port: (backend.address() as AddressInfo).port }] });
    const group = await createLogGroup(bed.ctx, { name: "lg-e2e" });
    const stream = await createLogStream(bed.ctx, { groupId: group.id, name: "ls-e2e" });
    await configureAccessLog(bed.ctx, { loadBalancerId: lb.id, logStreamId: stream.id });
    const { snapshot, diagnostics } = compileSnapshot(await loadConfigRows(bed.ctx.db), 1, "access-e2e");
    expect(diagnostics).toEqual([]);
    engine.child.send({ type: "snapshot", snapshot });
    expect((await engine.next("applied")).errors).toEqual([]);

    const base = `http://${lb.privateIp}:${port}`;
    const started = Date.now();
    await until(async () => (await get(`${base}/warm-up`, "warm-up")) === 200, 15_000, "the listener answers");
    const sent: { path: string; status: number }[] = [];
    for (let i = 0; i < 6; i++) {
      const p = i % 3 === 2 ? `/missing/${i}` : `/shop/item/${i}`;
      sent.push({ path: p, status: await get(`${base}${p}`, "access-e2e/1.0") });
    }
    expect(sent.map((s) => s.status)).toEqual([200, 200, 404, 200, 200, 404]);

    const stateDir = path.join(dir, "state");
    const search = (filters: object) => searchAccessLogs(bed.ctx, { loadBalancerId: lb.id, from: started - 1000, ...filters }, { stateDir });
    // The engine writes its batch within about a second.
    await until(async () => (await search({ text: "access-e2e/1.0" })).records.length === 6, 15_000, "six records written");
    const page = await search({ text: "access-e2e/1.0" });
    expect(page.records.map((r) => r.entry.routerRequestUri)).toEqual(sent.map((s) => s.path).reverse()); // newest first
    const newest = page.records[0]!.entry;
    expect(newest).toMatchObject({
      accessLogTopicId: stream.id,
      status: 404,
      requestMethod: "GET",
      host: lb.privateIp, // nginx's $host: the Host field without its port
      httpUserAgent: "access-e2e/1.0",
      lbName: `loadbalancer_${lb.id}`,
      listenerId: listener.id,
      poolName: `pool_${listener.pool!.id}`,
      tenantId: bed.ctx.scope.projectId,
      eipAddress: null,
      eipPort: port,
      upstreamAddrPriv: `127.0.0.1:${(backend.address() as AddressInfo).port}`,
      upstreamStatus: "404",
    });
    expect((await search({ status: "404" })).records.map((r) => r.entry.routerRequestUri)).toEqual(["/missing/5", "/missing/2"]);
    expect((await search({ path: "/shop/item/" })).records).toHaveLength(4);

    const file = await downloadAccessLogs(bed.ctx, { loadBalancerId: lb.id, from: started - 1000, status: "2xx", text: "access-e2e" }, { stateDir });
    let text = "";
    for await (const chunk of file.chunks) text += chunk;
    expect(text.trimEnd().split("\n").map((line) => line.match(/"GET http:\/\/\S+?(\/\S*) HTTP\/1\.1"/)![1])).toEqual(["/shop/item/0", "/shop/item/1", "/shop/item/3", "/shop/item/4"]);
  }, 90_000);
});
