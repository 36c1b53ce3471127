"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { DataTable, type Column } from "@/app/_components/data-table/data-table";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { MemberView } from "@/server/services/member/list-members";
import type { PoolView } from "@/server/services/pool/pool-view";
import { AddBackendServersDialog } from "./add-backend-servers-dialog";
import { RemoveBackendServersDialog } from "./remove-backend-servers-dialog";
import { HealthStatus } from "./health-status";
import { WeightCell } from "./weight-cell";

/** How often the server list (and its health) is refetched. */
const HEALTH_REFRESH_MS = 2000;

/** The server list of a group (guide 4.3): Add and Remove above it, Weight inline, live health, Remove per row. */
export function BackendServers({ pool }: { pool: PoolView }) {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.member.list.queryOptions({ poolId: pool.id }), refetchInterval: HEALTH_REFRESH_MS });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<MemberView[] | null>(null);
  const members = query.data ?? [];
  const columns: Column<MemberView>[] = [
    { id: "name", header: "Name", cell: (m) => m.name },
    { id: "address", header: "IP Address", cell: (m) => <span className="font-mono">{m.address}</span> },
    { id: "port", header: "Backend Port", cell: (m) => m.port },
    { id: "weight", header: "Weight", cell: (m) => <WeightCell key={`${m.id}-${m.weight}`} member={m} /> },
    { id: "health", header: "Health Check Result", cell: (m) => <HealthStatus status={m.health} passive={m.passiveHealth} /> },
    {
      id: "operation",
      header: "Operation",
      cell: (m) => (
        <Button variant="link" onClick={() => setRemoving([m])}>
          Remove
        </Button>
      ),
    },
  ];
  const selectedMembers = members.filter((m) => selected.has(m.id));
  return (
    <section aria-label="Backend Servers" className="mt-4">
      <div className="mb-2 flex items-center gap-2">
        <h3 className="mr-2 font-medium">Backend Servers</h3>
        <Button onClick={() => setAdding(true)}>Add</Button>
        <Button variant="secondary" disabled={selectedMembers.length === 0} onClick={() => setRemoving(selectedMembers)}>
          Remove
        </Button>
        {selectedMembers.length > 0 && <span className="text-xs text-slate-500">{selectedMembers.length} selected</span>}
      </div>
      <DataTable
        label={`Backend servers of ${pool.name}`}
        columns={columns}
        rows={query.data}
        getRowId={(m) => m.id}
        isLoading={query.isLoading}
        error={query.error}
        empty="No backend servers. Click Add to add backend servers to this group."
        selection={{ selected, onChange: setSelected }}
      />
      {adding && <AddBackendServersDialog pool={pool} onClose={() => setAdding(false)} />}
      {removing && (
        <RemoveBackendServersDialog
          poolId={pool.id}
          members={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => setSelected((current) => new Set([...current].filter((id) => !removing.some((m) => m.id === id))))}
        />
      )}
    </section>
  );
}
