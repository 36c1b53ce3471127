import type { ConfigDiagnostic } from "./compile/diagnostic";
import { compileSnapshot } from "./compile";

/**
 * Test support: a publisher `build` that compiles an empty configuration (no database) and reports the
 * given diagnostics, with a new version on every call.
 */
export function buildNextSnapshotStub(diagnostics: ConfigDiagnostic[]) {
  let version = 0;
  const empty = { loadBalancers: [], eips: [], listeners: [], pools: [], members: [], healthMonitors: [], certificates: [], listenerSniCertificates: [], redirects: [], forwardingPolicies: [] };
  return async () => ({ snapshot: compileSnapshot(empty, ++version, "stub-epoch").snapshot, diagnostics });
}
