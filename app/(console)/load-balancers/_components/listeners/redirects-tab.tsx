"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { DataTable, type Column } from "@/app/_components/data-table/data-table";
import { Toolbar } from "@/app/_components/data-table/toolbar";
import { operationColumn } from "@/app/_components/data-table/operation-column";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { ListenerView } from "@/server/services/listener/listener-view";
import { describeListener } from "./describe-listener";
import { RedirectDialog, type RedirectRow } from "./redirect-dialog";
import { DeleteRedirectDialog } from "./delete-redirect-dialog";

type RedirectAction = { kind: "create" } | { kind: "modify" | "delete"; redirect: RedirectRow } | null;

/** The Redirects tab of an HTTP listener (guide 3.8.4): at most one redirect; Create, Modify, Delete. */
export function RedirectsTab({ listener }: { listener: ListenerView }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.redirect.list.queryOptions({ listenerId: listener.id }));
  const [action, setAction] = useState<RedirectAction>(null);
  const hasOne = (query.data?.length ?? 0) > 0;
  const columns: Column<RedirectRow>[] = [
    { id: "name", header: "Name", cell: (r) => <span className="font-medium">{r.name}</span> },
    { id: "target", header: "Redirected To", cell: (r) => describeListener({ ...r.targetListener, protocol: "HTTPS" }) },
    { id: "description", header: "Description", cell: (r) => r.description || "—", className: "max-w-64 truncate" },
    operationColumn({ onModify: (redirect) => setAction({ kind: "modify", redirect }), onDelete: (redirect) => setAction({ kind: "delete", redirect }) }),
  ];
  return (
    <>
      <Toolbar
        left={
          <span className="flex items-center gap-3">
            <Button disabled={query.isLoading || hasOne} onClick={() => setAction({ kind: "create" })}>
              Create
            </Button>
            {hasOne && <span className="text-xs text-slate-500">An HTTP listener has at most one redirect.</span>}
          </span>
        }
      />
      <DataTable
        label="Redirects"
        columns={columns}
        rows={query.data}
        getRowId={(r) => r.id}
        isLoading={query.isLoading}
        error={query.error}
        empty="No redirect. Click Create to redirect this listener's requests to an HTTPS listener."
      />
      {action?.kind === "create" && <RedirectDialog listener={listener} onClose={() => setAction(null)} />}
      {action?.kind === "modify" && <RedirectDialog listener={listener} redirect={action.redirect} onClose={() => setAction(null)} />}
      {action?.kind === "delete" && <DeleteRedirectDialog redirect={action.redirect} onClose={() => setAction(null)} />}
    </>
  );
}
