import "server-only";
import type { Snapshot, SnapshotCertificate, SnapshotListener, SnapshotPool } from "@/engine/protocol/snapshot.types";
import { AppError } from "../../errors";
import { snapshotHash, type CompiledSnapshot } from "../../control-plane/compile";
import { TEST_ENGINE_ADDRESS } from "./test-addresses";

/** The test engine's configuration for one listener, and what it changed from the live one. */
export interface TestSnapshotPlan {
  snapshot: Snapshot;
  /** The listener as the test engine runs it. */
  listener: SnapshotListener;
  /** Its default group with the echo target as the only member; null for a redirected listener without one. */
  pool: SnapshotPool | null;
  /** The address the live listener binds first (its private IP): the Host a real client would name. */
  liveAddress: string;
  /** What differs from live traffic, in words for the result. */
  notes: string[];
}

/** Ports of the test: the engine's listener and the echo target. */
export interface TestPorts {
  listenPort: number;
  echoPort: number;
}

/**
 * The snapshot of a test engine: the listener exactly as the real compiler produced it (`compiled`, the
 * whole configuration compiled the normal way), bound on 127.0.0.1:`listenPort`, with its certificates
 * and its default backend server group, whose members are replaced by one echo target on
 * 127.0.0.1:`echoPort`. The group keeps its algorithm, stickiness and Transfer Client IP Address; its
 * health check is off (the echo target must see the test's traffic only). Forwarding policies and access
 * control are left out (the test reaches the default group from a loopback address), each said in `notes`.
 * Throws PRECONDITION_FAILED when the listener is not in the compiled configuration or has no group.
 */
export function buildTestSnapshot(compiled: CompiledSnapshot, listenerId: string, ports: TestPorts): TestSnapshotPlan {
  const live = compiled.snapshot.listeners.find((l) => l.id === listenerId);
  if (!live) {
    const diagnostic = compiled.diagnostics.find((d) => d.kind === "listener" && d.id === listenerId);
    throw new AppError("PRECONDITION_FAILED", `The listener cannot be tested: ${diagnostic?.message ?? "it is not in the engine's configuration"}`);
  }
  const notes: string[] = [];
  const { forwardingPolicies, accessControl, ...kept } = live;
  const listener: SnapshotListener = { ...kept, bindAddresses: [TEST_ENGINE_ADDRESS], port: ports.listenPort };
  if (forwardingPolicies?.length) notes.push(`The test uses the default backend server group; the listener's ${forwardingPolicies.length} forwarding policies are not applied.`);
  if (accessControl) notes.push("Access Control is not applied to the test's client (a loopback address of this host).");
  if (live.redirect) notes.push(`The listener redirects every request to HTTPS port ${live.redirect.port}: the test shows the answer a client gets.`);
  const livePool = live.defaultPoolId === null ? undefined : compiled.snapshot.pools.find((p) => p.id === live.defaultPoolId);
  if (!livePool && !live.redirect) throw new AppError("PRECONDITION_FAILED", "The listener cannot be tested: it has no backend server group, so nothing reaches a backend server");
  const pool: SnapshotPool | null = livePool
    ? {
        ...livePool,
        members: [{ id: "client-ip-test-echo-target", name: "client-ip-test echo target", address: TEST_ENGINE_ADDRESS, port: ports.echoPort, weight: 100 }],
        healthMonitor: null,
      }
    : null;
  if (!pool) listener.defaultPoolId = null;
  const certificates = certificatesOf(listener, compiled.snapshot.certificates ?? []);
  const pools = pool ? [pool] : [];
  const snapshot: Snapshot = {
    epoch: `client-ip-test-${listenerId}`,
    version: 1,
    hash: snapshotHash([listener], pools, [], certificates),
    createdAt: new Date().toISOString(),
    listeners: [listener],
    pools,
    addressLimits: [],
  };
  if (certificates.length > 0) snapshot.certificates = certificates;
  return { snapshot, listener, pool, liveAddress: live.bindAddresses[0] ?? TEST_ENGINE_ADDRESS, notes };
}

/** The certificates an HTTPS listener uses (server, SNI, CA), in the compiled order. */
function certificatesOf(listener: SnapshotListener, all: SnapshotCertificate[]): SnapshotCertificate[] {
  if (!listener.tls) return [];
  const ids = new Set([listener.tls.certificateId, ...listener.tls.sniCertificateIds, ...(listener.tls.caCertificateId ? [listener.tls.caCertificateId] : [])]);
  return all.filter((c) => ids.has(c.id));
}
