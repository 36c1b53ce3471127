/**
 * What the snapshot compiler says about one object it could not compile as stored (Traefik's runtime
 * errors: one bad object is left out or corrected, the others still compile). Plain data: it reaches the
 * console (Settings → Engine, the Listeners tab) as is.
 */
import "server-only";
export interface ConfigDiagnostic {
  /** The kind of object the diagnostic is about. */
  kind: ConfigObjectKind;
  /** The object's id. */
  id: string;
  /** The object's name as the console shows it (an EIP's address; "" for a health check, which has none). */
  name: string;
  /** What is wrong, in words, and what the compiler did about it. */
  message: string;
}

/** Objects the compiler reads: load balancer rows are only referenced, never reported on themselves. */
export type ConfigObjectKind = "listener" | "pool" | "member" | "healthMonitor" | "eip";

/** Collects diagnostics while compiling. */
export type ReportDiagnostic = (diagnostic: ConfigDiagnostic) => void;

/** Sorts diagnostics for display and comparison: by kind, then id. */
export function sortDiagnostics(diagnostics: ConfigDiagnostic[]): ConfigDiagnostic[] {
  const key = (d: ConfigDiagnostic) => `${d.kind}\u0000${d.id}\u0000${d.message}`;
  return diagnostics.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
