import "server-only";
import path from "node:path";
import type { Snapshot } from "@/engine/protocol/snapshot.types";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { compileSnapshot } from "../../control-plane/compile";
import { engineSecretKeyEnvironment } from "../../control-plane/engine-process";
import { loadConfigRows } from "../../control-plane/load-config-rows";
import { secretKey } from "../../crypto/secret-key";
import type { ServiceContext } from "../context";
import { getListenerView } from "../listener/listener-view";
import { ClientIpTestError } from "./client-ip-test-error";
import { clientIpTestSchema } from "./client-ip-test.schemas";
import type { ClientIpTestResult } from "./client-ip-test.types";
import { startEchoTarget, type EchoTarget } from "./echo-target";
import { freePort } from "./free-port";
import { interpretResult } from "./interpret-result";
import { proxyInFront } from "./proxy-in-front";
import { runExclusively } from "./running-tests";
import { TEST_CLIENT_ADDRESS, TEST_ENGINE_ADDRESS } from "./test-addresses";
import { runTestClient } from "./test-client";
import { startTestEngine, type TestEngine } from "./test-engine";
import { buildTestSnapshot, type TestSnapshotPlan } from "./test-snapshot";

/** What a caller may change about how a test runs (tests of the tester; the console uses the defaults). */
export interface ClientIpTestOptions {
  /** The engine bundle; default `ELB_ENGINE_ENTRY`, else dist/engine/main.js (as the control plane starts it). */
  engineEntry?: string;
  /** The secret key environment for HTTPS listeners; default the console's own (`engineSecretKeyEnvironment`). */
  engineEnvironment?: () => Record<string, string>;
  /** The test engine's listener port; default a free one. */
  listenPort?: number;
  /** How long the test engine may take to start (default 5000 ms). */
  startTimeoutMs?: number;
  /** Called with the test engine's pid once it exists. */
  onEngineStarted?: (pid: number) => void;
}

/** Said when a transparent group's connection did not arrive (the engine reports that refusal as a failed connect, not in its log). */
const TRANSPARENT_REQUIREMENTS =
  "Transparent mode: the engine connects to the backend from the client's address. For an address that is not local to this host that needs root or CAP_NET_ADMIN (IP_TRANSPARENT) and policy routing that brings the backends' replies back to this host.";

/** How long the echo target may still take after the client's exchange ended. */
const ECHO_GRACE_MS = 500;

/**
 * Test Client IP (issue 10, item 4): runs the listener's own settings in a test engine (a second
 * process of the engine bundle) in front of an echo target, sends one real request, connection or
 * datagram from TEST_CLIENT_ADDRESS, and returns exactly what the backend received. Changes no
 * configuration (so it writes no trace). Bounded (~10 s: start 5 s, apply 2 s, exchange 2.5 s), one test
 * per listener at a time; the test engine and the echo target are stopped whatever happens.
 * Administrators only (it starts a process on the engine host).
 */
export async function runClientIpTest(ctx: ServiceContext, rawInput: unknown, options: ClientIpTestOptions = {}): Promise<ClientIpTestResult> {
  const input = parseInput(clientIpTestSchema, rawInput);
  if (ctx.user.role !== "admin") throw new AppError("FORBIDDEN", "Only administrators can run the client-IP test");
  // The slot is taken before the first await: two clicks at once must not both get past the check.
  return runExclusively(input.listenerId, async () => {
    const view = await getListenerView(ctx.db, ctx.scope, input.listenerId);
    if (!view) throw new AppError("NOT_FOUND", "Listener: not found (it may have been deleted)", "listenerId");
    const compiled = compileSnapshot(await loadConfigRows(ctx.db), 1, "client-ip-test");
    const started = Date.now();
    const listenPort = options.listenPort ?? (await freePort(TEST_ENGINE_ADDRESS, view.protocol === "UDP" ? "UDP" : "TCP"));
    let echo: EchoTarget | null = null;
    let engine: TestEngine | null = null;
    try {
      // The backend side speaks the group's protocol (a redirected HTTP listener without a group: HTTP).
      const livePool = compiled.snapshot.pools.find((p) => p.id === view.pool?.id);
      echo = await startEchoTarget(livePool?.protocol ?? (view.protocol === "UDP" ? "UDP" : view.protocol === "TCP" ? "TCP" : "HTTP"));
      const plan = buildTestSnapshot(compiled, view.id, { listenPort, echoPort: echo.endpoint.port });
      engine = await startTestEngine({
        entry: options.engineEntry ?? defaultEngineEntry(),
        env: plan.snapshot.certificates?.length ? (options.engineEnvironment ?? consoleSecretKeyEnvironment)() : {},
        snapshot: plan.snapshot,
        startTimeoutMs: options.startTimeoutMs,
        applyTimeoutMs: 2000,
        onStarted: options.onEngineStarted,
      });
      const transfer = plan.pool?.transferClientIp ?? null;
      const front = proxyInFront(plan.listener, transfer);
      const engineEndpoint = { address: TEST_ENGINE_ADDRESS, port: listenPort };
      const serverName = serverNameOf(plan.snapshot);
      const outcome = await runTestClient({ protocol: plan.listener.protocol, engine: engineEndpoint, proxyHeader: front.header, serverName, host: `${plan.liveAddress}:${view.port}`, timeoutMs: 2500 });
      const backend = echo.received ?? (await within(echo.whenReceived, ECHO_GRACE_MS));
      const notes = [...plan.notes, ...(front.note ? [front.note] : []), ...settingNotes(plan, serverName, listenPort, view.port)];
      if (backend === null && transfer === "TRANSPARENT") notes.push(TRANSPARENT_REQUIREMENTS);
      return {
        listener: { id: view.id, name: view.name, protocol: view.protocol, port: view.port },
        client: outcome.client ?? { address: TEST_CLIENT_ADDRESS, port: 0 },
        expectedClientAddress: front.expectedClientAddress,
        engine: engineEndpoint,
        echoTarget: echo.endpoint,
        reached: backend !== null,
        backend,
        answer: outcome.answer,
        interpretation: interpretResult({ protocol: view.protocol, expectedClientAddress: front.expectedClientAddress, transfer, backend, answer: outcome.answer }),
        notes,
        engineLog: backend === null ? engine.logTail() : [],
        durationMs: Date.now() - started,
      };
    } catch (error) {
      if (error instanceof ClientIpTestError) throw new AppError("PRECONDITION_FAILED", `Client-IP test: ${error.message}`);
      throw error;
    } finally {
      await Promise.all([engine?.stop(), echo?.close()]);
    }
  });
}

/** The engine bundle the control plane starts (start-control-plane.ts). */
function defaultEngineEntry(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.ELB_ENGINE_ENTRY ?? path.join("dist", "engine", "main.js"));
}

/** The console's secret key source for the test engine (HTTPS listeners' sealed keys). */
function consoleSecretKeyEnvironment(): Record<string, string> {
  return engineSecretKeyEnvironment(secretKey());
}

/** The value of `promise` if it settles within `ms`, else null. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * HTTPS: the server name the tester sends (SNI): the first SNI certificate's domain, else the server
 * certificate's; a wildcard's "*" becomes "client-ip-test". null = none (an IP address is never sent).
 */
function serverNameOf(snapshot: Snapshot): string | null {
  const tls = snapshot.listeners[0]?.tls;
  if (!tls) return null;
  const byId = new Map((snapshot.certificates ?? []).map((c) => [c.id, c.domainName]));
  const domain = byId.get(tls.sniCertificateIds[0] ?? "") ?? byId.get(tls.certificateId) ?? null;
  return domain ? domain.replace(/^\*\./, "client-ip-test.") : null;
}

/** Notes on settings whose effect the test shows differently from live traffic. */
function settingNotes(plan: TestSnapshotPlan, serverName: string | null, testPort: number, livePort: number): string[] {
  const notes: string[] = [];
  const tls = plan.listener.tls;
  if (tls) notes.push(serverName ? `TLS server name (SNI): ${serverName}; the tester does not check the certificate.` : "The tester sends no TLS server name and does not check the certificate.");
  if (tls?.caCertificateId) notes.push("Mutual Authentication is on: the tester has no client certificate, so the listener refuses it (see the answer).");
  if (plan.listener.clientIp?.xForwardedPort) notes.push(`X-Forwarded-Port carries the test listener's port ${testPort}; live traffic carries ${livePort}.`);
  return notes;
}
