import "server-only";
import { createHash } from "node:crypto";
import type { SnapshotAddressLimit, SnapshotListener, SnapshotPool } from "@/engine/protocol/snapshot.types";

/**
 * sha256 of the canonical JSON of the configuration (version and time excluded). Address limits
 * count only when there are some, so configurations without EIPs keep the hash they always had.
 */
export function snapshotHash(listeners: SnapshotListener[], pools: SnapshotPool[], addressLimits: SnapshotAddressLimit[] = []): string {
  const config = addressLimits.length === 0 ? { listeners, pools } : { listeners, pools, addressLimits };
  return createHash("sha256").update(JSON.stringify(config)).digest("hex");
}
