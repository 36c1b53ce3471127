"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Button } from "@/app/_components/ui/button";
import { Card, StatusDot } from "@/app/_components/ui/status";
import { errorMessage, formatDateTime } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { EngineWorkerStatus } from "@/engine/protocol/ipc.types";
import type { EngineStatus } from "@/server/control-plane/engine-supervisor.types";
import { ConfigDiagnosticsCard } from "./config-diagnostics-card";
import { READ_ONLY_HINT, useIsAdministrator } from "./use-settings-access";

const stateLabels: Record<EngineStatus["state"], { tone: "green" | "amber" | "red"; label: string }> = {
  running: { tone: "green", label: "Running" },
  starting: { tone: "amber", label: "Starting" },
  restarting: { tone: "amber", label: "Restarting" },
  stopped: { tone: "red", label: "Stopped" },
};

/** "3 d 4 h", "5 min 2 s": an uptime for people. */
function formatUptime(seconds: number | null): string {
  if (seconds === null) return "—";
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d} d ${h} h`;
  if (h) return `${h} h ${m} min`;
  if (m) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[12rem_1fr] gap-3 border-b border-slate-100 py-2 last:border-0">
      <dt className="text-slate-500">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** A build id for people: its first 12 hex digits (the whole sha256 in the tooltip). */
function Build({ id }: { id: string | null }) {
  if (id === null) return <>—</>;
  return (
    <code className="text-xs" title={id}>
      {id.slice(0, 12)}
    </code>
  );
}

const upgradeLabels: Record<NonNullable<EngineStatus["upgrade"]>["state"], string> = {
  requested: "requested",
  "handing-over": "handing over",
  done: "done",
  failed: "failed",
};

/** Why "Upgrade engine" cannot run now; null when it can. */
function upgradeBlocked(engine: EngineStatus, isAdmin: boolean): string | null {
  if (!isAdmin) return READ_ONLY_HINT;
  if (engine.state !== "running") return "The engine is not running";
  if (engine.build === null) return "The engine does not report its build (an engine older than upgrades): restart it once";
  if (engine.buildOnDisk === null) return "There is no engine bundle on disk (npm run build)";
  if (engine.build === engine.buildOnDisk) return "The engine runs the build on disk";
  const upgrade = engine.upgrade;
  if (upgrade && (upgrade.state === "requested" || upgrade.state === "handing-over") && Date.now() - Date.parse(upgrade.at) < 60_000) return "An upgrade is under way";
  return null;
}

/** The engine's build, the build on disk and the last upgrade. */
function BuildRows({ engine }: { engine: EngineStatus }) {
  const last = engine.upgrade;
  return (
    <>
      <Row label="Build">
        <Build id={engine.build} />
      </Row>
      <Row label="Build on disk">
        <Build id={engine.buildOnDisk} />
        {engine.build !== null && engine.buildOnDisk !== null && engine.build !== engine.buildOnDisk && <span className="ml-2 text-amber-700">differs from the running engine</span>}
      </Row>
      <Row label="Last upgrade">
        {last ? (
          <span className={last.state === "failed" ? "text-red-700" : undefined}>
            {formatDateTime(last.at)}: {upgradeLabels[last.state]}
            {last.fromPid !== null && ` (engine ${last.fromPid}${last.toPid !== null ? ` → ${last.toPid}` : ""})`}
            {last.message ? `: ${last.message}` : ""}
          </span>
        ) : (
          "—"
        )}
      </Row>
    </>
  );
}

/** "Upgrade engine" (administrators; while the build on disk differs from the running one). */
function UpgradeButton({ engine }: { engine: EngineStatus }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isAdmin = useIsAdministrator();
  const upgrade = useMutation(trpc.engine.upgrade.mutationOptions({ onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.engine.status.queryKey() }) }));
  const blocked = upgrade.isPending ? "Sending…" : upgradeBlocked(engine, isAdmin);
  return (
    <div className="pt-3">
      <Button disabled={blocked !== null} title={blocked ?? undefined} onClick={() => upgrade.mutate()}>
        Upgrade engine
      </Button>
      <p className="mt-1 text-xs text-slate-500">
        Starts the engine build on disk beside the running one and hands it every listening socket: no connection is closed. The running engine finishes its open connections, then exits.
      </p>
      {upgrade.error && (
        <p role="alert" className="mt-2 text-red-600">
          {errorMessage(upgrade.error)}
        </p>
      )}
    </div>
  );
}

/** The engine process as the console supervises it, and the compiler's diagnostics; refreshed every 2 s. Administrators can upgrade it. */
export function EngineTab() {
  const trpc = useTRPC();
  const status = useQuery({ ...trpc.engine.status.queryOptions(), refetchInterval: 2000, staleTime: 0 });
  if (status.isLoading) return <Card title="Engine">Loading…</Card>;
  if (status.error)
    return (
      <Card title="Engine">
        <p role="alert" className="text-red-600">
          Could not load the engine status: {status.error.message}
        </p>
      </Card>
    );
  const engine = status.data;
  if (!engine)
    return (
      <Card title="Engine">
        <p className="text-slate-600">The engine is not started by this console process, so there is no status to show. It starts with the console server (npm start).</p>
      </Card>
    );
  const state = stateLabels[engine.state];
  return (
    <div className="space-y-4">
      <Card title="Engine">
        <p className="mb-3 text-xs text-slate-500">
          The engine is the data plane: a separate process that the console starts, restarts with backoff when it exits, and sends configuration snapshots to.
        </p>
        <dl aria-label="Engine status">
          <Row label="Status">
            <StatusDot tone={state.tone}>{state.label}</StatusDot>
          </Row>
          <Row label="PID">{engine.pid ?? "—"}</Row>
          <Row label="Snapshot version">{engine.version}</Row>
          <Row label="Snapshot hash">
            <code className="text-xs">{engine.hash || "—"}</code>
          </Row>
          <Row label="Uptime">{formatUptime(engine.uptimeSeconds)}</Row>
          <Row label="Restarts">{engine.restarts}</Row>
          <Row label="Last exit">
            {engine.lastExit
              ? `${formatDateTime(engine.lastExit.at)}: ${engine.lastExit.signal ? `signal ${engine.lastExit.signal}` : `exit code ${engine.lastExit.code}`}`
              : "—"}
          </Row>
          <Row label="Last heartbeat">{formatDateTime(engine.lastPongAt)}</Row>
          <BuildRows engine={engine} />
        </dl>
        <UpgradeButton engine={engine} />
      </Card>
      <WorkersCard workers={engine.workers} />
      <Card title="Listener errors">
        {engine.listenerErrors.length === 0 ? (
          <p className="text-slate-500">Every listener of the current snapshot is applied.</p>
        ) : (
          <ul aria-label="Listener errors" className="space-y-1">
            {engine.listenerErrors.map((e) => (
              <li key={e.listenerId} className="text-red-700">
                <code className="text-xs">{e.listenerId}</code>: {e.message}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <ConfigDiagnosticsCard />
    </div>
  );
}

const workerStateLabels: Record<EngineWorkerStatus["state"], { tone: "green" | "amber" | "red"; label: string }> = {
  running: { tone: "green", label: "Running" },
  starting: { tone: "amber", label: "Starting" },
  restarting: { tone: "red", label: "Restarting" },
  stopping: { tone: "amber", label: "Stopping" },
};

/** The engine's data-plane worker threads (ELB_ENGINE_WORKERS), from its last heartbeat. */
function WorkersCard({ workers }: { workers: EngineWorkerStatus[] | null }) {
  return (
    <Card title="Workers">
      {workers === null ? (
        <p className="text-slate-500">The engine runs in one thread (ELB_ENGINE_WORKERS=1), or has not answered a heartbeat yet.</p>
      ) : (
        <>
          <p className="mb-3 text-xs text-slate-500">
            Each worker accepts connections on every listener; the kernel spreads new connections over them. Health checks run once for the whole engine.
          </p>
          <table aria-label="Workers" className="w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-1 font-normal">Worker</th>
                <th className="py-1 font-normal">Status</th>
                <th className="py-1 font-normal">Snapshot version</th>
                <th className="py-1 font-normal">Open connections</th>
                <th className="py-1 font-normal">Accepted connections</th>
                <th className="py-1 font-normal">Restarts</th>
                <th className="py-1 font-normal">Started</th>
              </tr>
            </thead>
            <tbody>
              {workers.map((w) => {
                const state = workerStateLabels[w.state];
                return (
                  <tr key={w.index} className="border-t border-slate-100">
                    <td className="py-1">Worker {w.index}</td>
                    <td className="py-1">
                      <StatusDot tone={state.tone}>{state.label}</StatusDot>
                    </td>
                    <td className="py-1">{w.version}</td>
                    <td className="py-1">{w.connectionsOpen ?? "—"}</td>
                    <td className="py-1">{w.connectionsAccepted ?? "—"}</td>
                    <td className="py-1">{w.restarts}</td>
                    <td className="py-1">{w.startedAt ? formatDateTime(new Date(w.startedAt).toISOString()) : "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </Card>
  );
}
