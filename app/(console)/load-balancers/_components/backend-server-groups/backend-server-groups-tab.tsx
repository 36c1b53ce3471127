"use client";
import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { StatusDot } from "@/app/_components/ui/status";
import { DataTable, type Column } from "@/app/_components/data-table/data-table";
import { Toolbar } from "@/app/_components/data-table/toolbar";
import { operationColumn } from "@/app/_components/data-table/operation-column";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { LoadBalancerView } from "@/server/services/load-balancer/load-balancer-view";
import type { PoolView } from "@/server/services/pool/pool-view";
import { AddPoolDialog } from "./add-pool-dialog";
import { ModifyPoolDialog } from "./modify-pool-dialog";
import { DeletePoolDialog } from "./delete-pool-dialog";
import { PoolDetails } from "./pool-details";
import { describeAlgorithm, describeStickySession } from "./describe-pool";

type PoolDialog = { kind: "add" } | { kind: "modify" | "delete"; pool: PoolView } | null;

/**
 * The Backend Server Groups tab (guide 4.3): the list with Add Backend Server Group and Modify/Delete,
 * and below it the selected group (`?pool=<id>`, so it deep-links) with its servers.
 */
export function BackendServerGroupsTab({ lb }: { lb: LoadBalancerView }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const query = useQuery(trpc.pool.list.queryOptions({ loadBalancerId: lb.id }));
  const [dialog, setDialog] = useState<PoolDialog>(null);
  const pools = query.data ?? [];
  const selectedId = searchParams.get("pool");
  const selected = pools.find((p) => p.id === selectedId) ?? pools[0];
  const select = (poolId: string | null) => router.replace(`${pathname}?tab=backend-server-groups${poolId ? `&pool=${poolId}` : ""}`);
  const columns: Column<PoolView>[] = [
    {
      id: "name",
      header: "Name",
      cell: (p) => (
        <Button variant="link" className={`text-left ${p.id === selected?.id ? "font-semibold" : ""}`} aria-current={p.id === selected?.id ? "true" : undefined} onClick={() => select(p.id)}>
          {p.name}
        </Button>
      ),
    },
    { id: "protocol", header: "Backend Protocol", cell: (p) => p.protocol },
    { id: "algorithm", header: "Load Balancing Algorithm", cell: (p) => describeAlgorithm(p) },
    { id: "sticky", header: "Sticky Session", cell: (p) => describeStickySession(p) },
    { id: "listener", header: "Listener", cell: (p) => (p.listener ? `${p.listener.name} (${p.listener.protocol}/${p.listener.port})` : "—") },
    { id: "members", header: "Backend Servers", cell: (p) => p.memberCount },
    {
      id: "health",
      header: "Health Check",
      cell: (p) => (p.healthMonitor?.enabled ? <StatusDot tone="green">Enabled ({p.healthMonitor.protocol})</StatusDot> : <StatusDot tone="gray">Disabled</StatusDot>),
    },
    operationColumn({ onModify: (pool) => setDialog({ kind: "modify", pool }), onDelete: (pool) => setDialog({ kind: "delete", pool }) }),
  ];
  return (
    <>
      <Toolbar left={<Button onClick={() => setDialog({ kind: "add" })}>Add Backend Server Group</Button>} />
      <DataTable
        label="Backend Server Groups"
        columns={columns}
        rows={query.data}
        getRowId={(p) => p.id}
        isLoading={query.isLoading}
        error={query.error}
        empty="No backend server groups. Add Listener creates one, or click Add Backend Server Group."
      />
      {selected && (
        <div className="mt-4">
          <PoolDetails key={selected.id} pool={selected} onModify={() => setDialog({ kind: "modify", pool: selected })} />
        </div>
      )}
      {dialog?.kind === "add" && <AddPoolDialog lb={lb} onClose={() => setDialog(null)} onAdded={select} />}
      {dialog?.kind === "modify" && <ModifyPoolDialog pool={dialog.pool} onClose={() => setDialog(null)} />}
      {dialog?.kind === "delete" && <DeletePoolDialog pool={dialog.pool} onClose={() => setDialog(null)} onDeleted={() => select(null)} />}
    </>
  );
}
