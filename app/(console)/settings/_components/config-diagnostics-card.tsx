"use client";
import { useQuery } from "@tanstack/react-query";
import { DataTable, type Column } from "@/app/_components/data-table/data-table";
import { Card } from "@/app/_components/ui/status";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { ConfigDiagnostic, ConfigObjectKind } from "@/server/control-plane/compile/diagnostic";

const kindLabels: Record<ConfigObjectKind, string> = {
  listener: "Listener",
  pool: "Backend Server Group",
  member: "Backend Server",
  healthMonitor: "Health Check",
  eip: "EIP",
};

const columns: Column<ConfigDiagnostic>[] = [
  { id: "kind", header: "Object", cell: (d) => kindLabels[d.kind] },
  { id: "name", header: "Name", cell: (d) => d.name || "—" },
  { id: "id", header: "ID", cell: (d) => <code className="text-xs">{d.id}</code> },
  { id: "message", header: "Problem", cell: (d) => <span className="text-red-700">{d.message}</span> },
];

/** What the snapshot compiler left out of the engine's configuration, and why; refreshed every 2 s. */
export function ConfigDiagnosticsCard() {
  const trpc = useTRPC();
  const diagnostics = useQuery({ ...trpc.engine.diagnostics.queryOptions(), refetchInterval: 2000, staleTime: 0 });
  return (
    <Card title="Configuration diagnostics">
      <p className="mb-3 text-xs text-slate-500">
        Objects the console could not compile into the engine&apos;s configuration. Each is left out; everything else is still applied.
      </p>
      <DataTable
        label="Configuration diagnostics"
        columns={columns}
        rows={diagnostics.data}
        getRowId={(d) => `${d.kind}:${d.id}`}
        isLoading={diagnostics.isLoading}
        error={diagnostics.error}
        empty="Every object compiled: the engine's configuration is complete."
      />
    </Card>
  );
}
