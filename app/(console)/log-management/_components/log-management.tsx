"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DataTable } from "@/app/_components/data-table/data-table";
import { operationColumn } from "@/app/_components/data-table/operation-column";
import { Toolbar } from "@/app/_components/data-table/toolbar";
import { Button } from "@/app/_components/ui/button";
import { PageHeader } from "@/app/_components/ui/status";
import { formatDateTime } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { LogGroupView } from "@/server/services/log-group/log-group-view";
import { CreateLogGroupDialog, ModifyLogGroupDialog } from "./log-group-dialogs";
import { DeleteLogGroupDialog } from "./delete-dialogs";
import { LogStreamList } from "./log-stream-list";

type GroupAction = { kind: "create" } | { kind: "modify"; group: LogGroupView } | { kind: "delete"; group: LogGroupView } | null;

/**
 * The Log Management page (guide chapter 7, steps 1–2): Create Log Group and the list of groups; click
 * a group's name to see and create its log streams.
 */
export function LogManagement() {
  const trpc = useTRPC();
  const groups = useQuery(trpc.logGroup.list.queryOptions());
  const [action, setAction] = useState<GroupAction>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = groups.data?.find((g) => g.id === selectedId) ?? null;
  return (
    <>
      <PageHeader title="Log Management" />
      <Toolbar left={<Button onClick={() => setAction({ kind: "create" })}>Create Log Group</Button>} />
      <DataTable
        label="Log Groups"
        rows={groups.data}
        getRowId={(g) => g.id}
        isLoading={groups.isLoading}
        error={groups.error}
        empty="No log groups yet. Click Create Log Group, then create a log stream in it for a load balancer's access logs."
        columns={[
          {
            id: "name",
            header: "Log Group Name",
            cell: (g) => (
              <Button variant="link" aria-pressed={g.id === selectedId} onClick={() => setSelectedId(g.id)}>
                {g.name}
              </Button>
            ),
          },
          { id: "retention", header: "Retention (days)", cell: (g) => g.retentionDays },
          { id: "size", header: "Size Limit (MiB)", cell: (g) => g.maxSizeMegabytes.toLocaleString("en-US") },
          { id: "streams", header: "Log Streams", cell: (g) => g.streamCount },
          { id: "created", header: "Created", cell: (g) => <span className="whitespace-nowrap">{formatDateTime(g.createdAt)}</span> },
          operationColumn<LogGroupView>({
            onModify: (group) => setAction({ kind: "modify", group }),
            onDelete: (group) => setAction({ kind: "delete", group }),
            nameOf: (group) => `log group ${group.name}`,
          }),
        ]}
      />
      {selected && <LogStreamList group={selected} />}
      {action?.kind === "create" && <CreateLogGroupDialog onClose={() => setAction(null)} />}
      {action?.kind === "modify" && <ModifyLogGroupDialog group={action.group} onClose={() => setAction(null)} />}
      {action?.kind === "delete" && (
        <DeleteLogGroupDialog group={action.group} onClose={() => setAction(null)} onDeleted={() => action.group.id === selectedId && setSelectedId(null)} />
      )}
    </>
  );
}
