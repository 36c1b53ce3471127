import "server-only";
import { createHash } from "node:crypto";
import type { SnapshotAccessLogGroup, SnapshotAddressLimit, SnapshotCertificate, SnapshotListener, SnapshotPool } from "@/engine/protocol/snapshot.types";

/**
 * sha256 of the canonical JSON of the configuration (version and time excluded). Address limits,
 * certificates and log groups count only when there are some, so configurations without them keep the
 * hash they always had.
 */
export function snapshotHash(
  listeners: SnapshotListener[],
  pools: SnapshotPool[],
  addressLimits: SnapshotAddressLimit[] = [],
  certificates: SnapshotCertificate[] = [],
  accessLogGroups: SnapshotAccessLogGroup[] = [],
): string {
  const config: Record<string, unknown> = { listeners, pools };
  if (addressLimits.length > 0) config.addressLimits = addressLimits;
  if (certificates.length > 0) config.certificates = certificates;
  if (accessLogGroups.length > 0) config.accessLogGroups = accessLogGroups;
  return createHash("sha256").update(JSON.stringify(config)).digest("hex");
}
