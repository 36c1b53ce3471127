import "server-only";
import type { MemberHealth } from "@/engine/protocol/snapshot.types";
import type { ConfigDiagnostic } from "./compile/diagnostic";
import type { EngineStatus, UpgradeRequest } from "./engine-supervisor.types";

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
  /**
   * Passive health of a backend server from the engine's last report: whether the proxy skips it after
   * consecutive failed connects, and how many; undefined when the report carries none (no failure yet,
   * or an engine that does not report it).
   */
  memberPassiveHealth(memberId: string): PassiveHealth | undefined;
  /** Why the engine could not start a listener in its last applied snapshot; undefined when it did. */
  listenerError(listenerId: string): string | undefined;
  /** Diagnostics of the last compiled snapshot (objects left out of the engine's configuration). */
  diagnostics(): readonly ConfigDiagnostic[];
  /** Asks the engine to hand over to the build on disk without closing a connection (EngineSupervisor.requestUpgrade). */
  requestUpgrade(): UpgradeRequest;
}

/** Passive health of one backend server as the engine reports it (nginx max_fails / fail_timeout). */
export interface PassiveHealth {
  /** True while the engine sends the server no new connections after consecutive failed connects. */
  ejected: boolean;
  /** Failed connects in a row (0 after a success). */
  consecutiveFailures: number;
}

/** The passive health a health report carries; undefined when it has none (an older engine, or no failure yet). */
export function passiveHealthOf(report: { ejected?: boolean; consecutiveFailures?: number } | undefined): PassiveHealth | undefined {
  if (!report || (report.ejected === undefined && report.consecutiveFailures === undefined)) return undefined;
  return { ejected: report.ejected === true, consecutiveFailures: report.consecutiveFailures ?? 0 };
}

/** The parts of a fixed engine view; everything defaults to "nothing reported". */
export interface FixedEngineParts {
  /** Default false. */
  running?: boolean;
  /** Default null (no control plane). */
  status?: EngineStatus | null;
  /** Health reports by member id. */
  memberHealth?: Record<string, MemberHealth>;
  /** Passive health by member id. */
  passiveHealth?: Record<string, PassiveHealth>;
  /** Engine errors by listener id. */
  listenerErrors?: Record<string, string>;
  diagnostics?: ConfigDiagnostic[];
  /** What requestUpgrade answers; default refused (no engine). */
  upgrade?: () => UpgradeRequest;
}

/** An engine view over fixed data (tests, and the "not running" view). */
export function fixedEngineView(parts: FixedEngineParts = {}): EngineView {
  const health = new Map(Object.entries(parts.memberHealth ?? {}));
  const passive = new Map(Object.entries(parts.passiveHealth ?? {}));
  const errors = new Map(Object.entries(parts.listenerErrors ?? {}));
  const status = parts.status ?? null;
  return {
    running: parts.running ?? status?.state === "running",
    status: () => (status ? structuredClone(status) : null),
    memberHealth: (memberId) => health.get(memberId),
    memberPassiveHealth: (memberId) => passive.get(memberId),
    listenerError: (listenerId) => errors.get(listenerId),
    diagnostics: () => parts.diagnostics ?? [],
    requestUpgrade: parts.upgrade ?? (() => ({ ok: false, reason: "The engine is not started by this console process" })),
  };
}

/** No control plane in this process: no status, no reports, no diagnostics. */
export const engineNotRunning: EngineView = fixedEngineView();
