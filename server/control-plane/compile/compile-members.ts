import "server-only";
import { isIP } from "node:net";
import type { SnapshotMember } from "@/engine/protocol/snapshot.types";
import type { ConfigRows } from "../load-config-rows";
import type { ReportDiagnostic } from "./diagnostic";
import { byId } from "./sort-by-id";

type MemberRow = ConfigRows["members"][number];

/**
 * Compiles backend servers, grouped by backend server group id, each group in id order. A server is left
 * out, with a diagnostic, when its group does not exist or its address, port or weight is not one the
 * engine can use (an IP address, port 1–65535, weight 0–100); the rest of its group still compiles.
 */
export function compileMembers(rows: ConfigRows, report: ReportDiagnostic): Map<string, SnapshotMember[]> {
  const poolIds = new Set(rows.pools.map((p) => p.id));
  const byPool = new Map<string, SnapshotMember[]>();
  for (const m of [...rows.members].sort(byId)) {
    const problem = poolIds.has(m.poolId) ? memberProblem(m) : `its backend server group ${m.poolId} does not exist`;
    if (problem) {
      report({ kind: "member", id: m.id, name: m.name, message: `${problem}; the backend server is left out of the engine's configuration` });
      continue;
    }
    const list = byPool.get(m.poolId) ?? [];
    list.push({ id: m.id, name: m.name, address: m.address, port: m.port, weight: m.weight });
    byPool.set(m.poolId, list);
  }
  return byPool;
}

/** Why a backend server's own fields are unusable, or null. */
function memberProblem(m: MemberRow): string | null {
  if (isIP(m.address) === 0) return `its address "${m.address}" is not an IP address`;
  if (!Number.isInteger(m.port) || m.port < 1 || m.port > 65535) return `its port ${m.port} is not between 1 and 65535`;
  if (!Number.isInteger(m.weight) || m.weight < 0 || m.weight > 100) return `its weight ${m.weight} is not between 0 and 100`;
  return null;
}
