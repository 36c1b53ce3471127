"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { StatusDot } from "@/app/_components/ui/status";
import { DataTable, type Column } from "@/app/_components/data-table/data-table";
import { Toolbar } from "@/app/_components/data-table/toolbar";
import { operationColumn } from "@/app/_components/data-table/operation-column";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { ListedListener } from "@/server/services/listener/list-listeners";
import type { LoadBalancerView } from "@/server/services/load-balancer/load-balancer-view";
import { AddListenerDialog } from "./add-listener-dialog";
import { ModifyListenerDialog } from "./modify-listener-dialog";
import { DeleteListenerDialog } from "./delete-listener-dialog";

type ListenerDialog = { kind: "add" } | { kind: "modify" | "delete"; listener: ListedListener } | null;

/**
 * The Listeners tab (guide 3.3, 3.7): the list (a listener's name opens its page), Add Listener, and
 * Modify/Delete in the Operation column.
 */
export function ListenersTab({ lb }: { lb: LoadBalancerView }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const query = useQuery(trpc.listener.list.queryOptions({ loadBalancerId: lb.id }));
  const [dialog, setDialog] = useState<ListenerDialog>(null);
  const openGroup = (poolId: string) => router.replace(`${pathname}?tab=backend-server-groups&pool=${poolId}`);
  const columns: Column<ListedListener>[] = [
    {
      id: "name",
      header: "Name",
      cell: (l) => (
        <>
          <Link href={`/load-balancers/${lb.id}/listeners/${l.id}`} className="font-medium text-brand hover:underline">
            {l.name}
          </Link>
          {l.engineError && (
            <p role="alert" className="mt-1 max-w-72 text-xs text-red-600">
              Not started by the engine: {l.engineError}
            </p>
          )}
          {l.configError && (
            <p role="alert" className="mt-1 max-w-72 text-xs text-red-600">
              Not in the engine&apos;s configuration: {l.configError}
            </p>
          )}
        </>
      ),
    },
    { id: "frontend", header: "Frontend Protocol/Port", cell: (l) => `${l.protocol}/${l.port}` },
    {
      id: "pool",
      header: "Backend Server Group",
      cell: (l) =>
        l.pool ? (
          <Button variant="link" onClick={() => openGroup(l.pool!.id)}>
            {l.pool.name}
          </Button>
        ) : (
          "—"
        ),
    },
    {
      id: "health",
      header: "Health Check",
      cell: (l) => (l.healthCheck?.enabled ? <StatusDot tone="green">Enabled ({l.healthCheck.protocol})</StatusDot> : <StatusDot tone="gray">Disabled</StatusDot>),
    },
    { id: "description", header: "Description", cell: (l) => l.description || "—", className: "max-w-64 truncate" },
    operationColumn({ onModify: (listener) => setDialog({ kind: "modify", listener }), onDelete: (listener) => setDialog({ kind: "delete", listener }) }),
  ];
  return (
    <>
      <Toolbar left={<Button onClick={() => setDialog({ kind: "add" })}>Add Listener</Button>} />
      <DataTable
        label="Listeners"
        columns={columns}
        rows={query.data}
        getRowId={(l) => l.id}
        isLoading={query.isLoading}
        error={query.error}
        empty="No listeners. A load balancer needs at least one listener: click Add Listener."
      />
      {dialog?.kind === "add" && <AddListenerDialog lb={lb} onClose={() => setDialog(null)} />}
      {dialog?.kind === "modify" && <ModifyListenerDialog listener={dialog.listener} onClose={() => setDialog(null)} />}
      {dialog?.kind === "delete" && <DeleteListenerDialog listener={dialog.listener} onClose={() => setDialog(null)} />}
    </>
  );
}
