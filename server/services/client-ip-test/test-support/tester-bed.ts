import { execFile } from "node:child_process";
import dgram from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect } from "vitest";
import { listeners, pools } from "@/db/schema";
import type { ClientIpTransport } from "@/engine/protocol/snapshot.types";
import { alive } from "../../../control-plane/engine-process";
import { createServiceTestBed, type ServiceTestBed } from "../../test-support";
import { createListener } from "../../listener/create-listener";
import { createTestLoadBalancer, newListenerInput } from "../../listener/test-fixtures";
import type { ClientIpTestResult } from "../client-ip-test.types";
import { runClientIpTest, type ClientIpTestOptions } from "../run-client-ip-test";

/** A seeded database, a load balancer, and the engine bundle built from the current sources into a temp folder. */
export interface TesterBed {
  bed: ServiceTestBed;
  loadBalancerId: string;
  entry: string;
  /** Pids of every test engine started (checked gone after each test). */
  enginePids: number[];
  close(): Promise<void>;
}

/** Bundles engine/main.ts (and its addon) to `outfile` with scripts/build-engine.mjs, as `npm run build` does. */
async function buildEngine(outfile: string): Promise<void> {
  await promisify(execFile)(process.execPath, [path.resolve("scripts", "build-engine.mjs"), outfile]);
}

/**
 * Builds the engine from the current sources into a temp file (dist/ is left to the console; set
 * ELB_TEST_ENGINE_ENTRY to use a bundle already built) and seeds a database with a load balancer.
 */
export async function createTesterBed(): Promise<TesterBed> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "elb-client-ip-test-"));
  const entry = process.env.ELB_TEST_ENGINE_ENTRY ?? path.join(dir, "engine.mjs");
  if (!process.env.ELB_TEST_ENGINE_ENTRY) await buildEngine(entry);
  const bed = await createServiceTestBed();
  const lb = await createTestLoadBalancer(bed, "elb-client-ip-test");
  return {
    bed,
    loadBalancerId: lb.id,
    entry,
    enginePids: [],
    async close() {
      await bed.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The bed of the calling test file: built before its tests (up to two minutes: it bundles the engine),
 * closed after them. The object is filled in by the file's beforeAll, so read it inside tests only.
 */
export function useTesterBed(): TesterBed {
  const t = {} as TesterBed;
  beforeAll(async () => void Object.assign(t, await createTesterBed()), 120_000);
  afterAll(async () => {
    await t.close?.();
  });
  return t;
}

/** The client-IP settings a test listener gets, written to its row and its group's (as the Modify dialogs would). */
export interface TestListenerSettings {
  transferClientIp?: ClientIpTransport | null;
  proxyProtocolAccept?: boolean;
  trustedIps?: string[];
  /** More Add Listener input (e.g. serverCertificateId, caCertificateId). */
  input?: Record<string, unknown>;
}

let nextPort = 20000;

/** Adds a listener of `protocol` with a new group and the given client-IP settings; returns its id. */
export async function addTestListener(t: TesterBed, protocol: "TCP" | "UDP" | "HTTP" | "HTTPS", settings: TestListenerSettings = {}): Promise<string> {
  const created = await createListener(t.bed.ctx, newListenerInput(t.loadBalancerId, protocol, nextPort++, settings.input));
  const db = t.bed.ctx.db;
  if (settings.transferClientIp) {
    await db.update(listeners).set({ transferClientIp: true }).where(eq(listeners.id, created.id));
    await db.update(pools).set({ clientIpTransport: settings.transferClientIp }).where(eq(pools.id, created.pool!.id));
  }
  if (settings.proxyProtocolAccept) await db.update(listeners).set({ proxyProtocolAccept: true, trustedIps: settings.trustedIps ?? [] }).where(eq(listeners.id, created.id));
  return created.id;
}

/** Runs the tester on a listener with the bed's engine bundle, recording the engine's pid. */
export function runTest(t: TesterBed, listenerId: string, options: ClientIpTestOptions = {}): Promise<ClientIpTestResult> {
  return runClientIpTest(t.bed.ctx, { listenerId }, { engineEntry: t.entry, onEngineStarted: (pid) => t.enginePids.push(pid), ...options });
}

/** Whether `port` on 127.0.0.1 can be bound right now (nothing of the test still holds it). */
function portIsFree(port: number, kind: "TCP" | "UDP"): Promise<boolean> {
  return new Promise((resolve) => {
    if (kind === "UDP") {
      const socket = dgram.createSocket("udp4");
      socket.once("error", () => resolve(false));
      socket.bind(port, "127.0.0.1", () => socket.close(() => resolve(true)));
      return;
    }
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** After a test: every test engine it started is gone (by pid) and its listener and echo target ports are free again. */
export async function expectNothingLeft(t: TesterBed, result: ClientIpTestResult | null): Promise<void> {
  for (const pid of t.enginePids.splice(0)) expect(alive(pid), `test engine ${pid} still running`).toBe(false);
  if (!result) return;
  const kind = result.listener.protocol === "UDP" ? "UDP" : "TCP";
  expect(await portIsFree(result.engine.port, kind), `test listener port ${result.engine.port}`).toBe(true);
  expect(await portIsFree(result.echoTarget.port, kind), `echo target port ${result.echoTarget.port}`).toBe(true);
}
