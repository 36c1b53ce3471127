import "server-only";
import type { MemberHealth } from "@/engine/protocol/snapshot.types";
import type { ConfigDiagnostic } from "./compile/diagnostic";
import type { EngineStatus } from "./engine-supervisor.types";

/**
 * The engine as services see it (through `ServiceContext.engine`): its process status, the health of
 * backend servers and the listeners it could not start, as last reported, and the snapshot compiler's
 * diagnostics. Built once per request from the running control plane, or "not running".
 */
export interface EngineView {
  /** True while the engine process is up and answering ("running"). */
  readonly running: boolean;
  /** A copy of the supervisor's status; null when this process runs no control plane. */
  status(): EngineStatus | null;
  /** The engine's last health report for a backend server; undefined when it sent none. */
  memberHealth(memberId: string): MemberHealth | undefined;
  /** Why the engine could not start a listener in its last applied snapshot; undefined when it did. */
  listenerError(listenerId: string): string | undefined;
  /** Diagnostics of the last compiled snapshot (objects left out of the engine's configuration). */
  diagnostics(): readonly ConfigDiagnostic[];
}

/** The parts of a fixed engine view; everything defaults to "nothing reported". */
export interface FixedEngineParts {
  /** Default false. */
  running?: boolean;
  /** Default null (no control plane). */
  status?: EngineStatus | null;
  /** Health reports by member id. */
  memberHealth?: Record<string, MemberHealth>;
  /** Engine errors by listener id. */
  listenerErrors?: Record<string, string>;
  diagnostics?: ConfigDiagnostic[];
}

/** An engine view over fixed data (tests, and the "not running" view). */
export function fixedEngineView(parts: FixedEngineParts = {}): EngineView {
  const health = new Map(Object.entries(parts.memberHealth ?? {}));
  const errors = new Map(Object.entries(parts.listenerErrors ?? {}));
  const status = parts.status ?? null;
  return {
    running: parts.running ?? status?.state === "running",
    status: () => (status ? structuredClone(status) : null),
    memberHealth: (memberId) => health.get(memberId),
    listenerError: (listenerId) => errors.get(listenerId),
    diagnostics: () => parts.diagnostics ?? [],
  };
}

/** No control plane in this process: no status, no reports, no diagnostics. */
export const engineNotRunning: EngineView = fixedEngineView();
