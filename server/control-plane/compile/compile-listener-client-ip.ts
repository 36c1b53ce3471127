import "server-only";
import { DEFAULT_CLIENT_IP, type SnapshotClientIp } from "@/engine/protocol/snapshot.types";
import { parseTrustedIps } from "../../services/listener/trusted-ips";
import type { ConfigRows } from "../load-config-rows";
import type { ReportDiagnostic } from "./diagnostic";

type ListenerRow = ConfigRows["listeners"][number];

/**
 * The client IP settings of a listener as the engine takes them (issue 10), or null when they are all
 * the defaults — the listener then compiles to the same bytes as before the feature, so the snapshot
 * hash of an untouched configuration stays. Only what the protocol uses is taken: PROXY protocol accept
 * and Trusted IPs on TCP/HTTP/HTTPS, the X-Forwarded-* and Real IP fields on HTTP/HTTPS; a UDP listener
 * has none (Transfer Client IP Address goes with its group, `SnapshotPool.transferClientIp`). A stored
 * Trusted IP that does not parse is dropped with a diagnostic (fewer peers trusted, never more).
 */
export function compileListenerClientIp(l: ListenerRow, report: ReportDiagnostic): SnapshotClientIp | null {
  if (l.protocol === "UDP") return null;
  const l7 = l.protocol === "HTTP" || l.protocol === "HTTPS";
  const clientIp: SnapshotClientIp = {
    ...DEFAULT_CLIENT_IP,
    proxyProtocolAccept: l.proxyProtocolAccept,
    trustedIps: trustedIpsOf(l, report),
    ...(l7 && {
      xForwardedFor: l.xForwardedForMode,
      xForwardedForTrustedOnly: l.xForwardedForTrustedOnly,
      xForwardedProto: l.xForwardedProto,
      xForwardedPort: l.xForwardedPort,
      xForwardedHost: l.xForwardedHost,
      xRealIp: l.xRealIp,
      realIpHeader: l.realIpHeader,
      realIpRecursive: l.realIpRecursive,
    }),
  };
  return isDefault(clientIp) ? null : clientIp;
}

/** The stored entries that parse, normalised, in the order entered. */
function trustedIpsOf(l: ListenerRow, report: ReportDiagnostic): string[] {
  const stored: unknown[] = Array.isArray(l.trustedIps) ? l.trustedIps : [];
  const entries: string[] = [];
  for (const entry of stored) {
    const parsed = typeof entry === "string" ? parseTrustedIps([entry]) : null;
    const value = parsed?.ok && parsed.entries.length === 1 ? parsed.entries[0]! : null;
    const problem = value === null ? "is not a usable address or CIDR block" : entries.includes(value) ? "is stored twice" : null;
    if (problem) report({ kind: "listener", id: l.id, name: l.name, message: `its trusted IP ${JSON.stringify(entry)} ${problem}; that entry is left out` });
    else entries.push(value!);
  }
  return entries;
}

function isDefault(clientIp: SnapshotClientIp): boolean {
  return (Object.keys(DEFAULT_CLIENT_IP) as (keyof SnapshotClientIp)[]).every((key) =>
    key === "trustedIps" ? clientIp.trustedIps.length === 0 : clientIp[key] === DEFAULT_CLIENT_IP[key],
  );
}
