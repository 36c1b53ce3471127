import "server-only";
import type { Snapshot } from "@/engine/protocol/snapshot.types";
import type { ConfigRows } from "../load-config-rows";
import { sortDiagnostics, type ConfigDiagnostic } from "./diagnostic";
import { compileAddressLimits } from "./compile-address-limits";
import { compileCertificates } from "./compile-certificates";
import { compileListeners } from "./compile-listeners";
import { compileAccessLogGroups } from "./compile-listener-access-log";
import { compilePools } from "./compile-pools";
import { snapshotHash } from "./snapshot-hash";

export type { ConfigDiagnostic, ConfigObjectKind } from "./diagnostic";
export { snapshotHash } from "./snapshot-hash";

/** A compiled snapshot and what the compiler had to say about the rows it came from. */
export interface CompiledSnapshot {
  snapshot: Snapshot;
  /** One per object left out (or corrected), sorted by kind and id; empty when every row compiled. */
  diagnostics: ConfigDiagnostic[];
}

/**
 * Compiles database rows into the engine's snapshot (plain data), one compiler per object kind. A bad
 * object never stops the others: it is left out and named in a diagnostic. Valid rows always compile to
 * the same bytes, so the hash (and the engine's "nothing changed") is stable.
 */
export function compileSnapshot(rows: ConfigRows, version: number, epoch: string, now = new Date()): CompiledSnapshot {
  const diagnostics: ConfigDiagnostic[] = [];
  const report = (d: ConfigDiagnostic) => void diagnostics.push(d);
  const listeners = compileListeners(rows, report);
  const pools = compilePools(rows, report);
  const addressLimits = compileAddressLimits(rows, report);
  const certificates = compileCertificates(rows, listeners, report);
  const accessLogGroups = compileAccessLogGroups(rows);
  const hash = snapshotHash(listeners, pools, addressLimits, certificates, accessLogGroups);
  const snapshot: Snapshot = { epoch, version, hash, createdAt: now.toISOString(), listeners, pools, addressLimits };
  if (certificates.length > 0) snapshot.certificates = certificates;
  // Always sent when read, [] included (the engine then deletes every group's folder: none exists); hashed only when not empty.
  if (accessLogGroups) snapshot.accessLogGroups = accessLogGroups;
  return { snapshot, diagnostics: sortDiagnostics(diagnostics) };
}
