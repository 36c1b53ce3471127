"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { DataTable } from "@/app/_components/data-table/data-table";
import { operationColumn } from "@/app/_components/data-table/operation-column";
import { Button } from "@/app/_components/ui/button";
import { Card } from "@/app/_components/ui/status";
import { formatDateTime } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { LogGroupView } from "@/server/services/log-group/log-group-view";
import type { LogStreamView } from "@/server/services/log-stream/log-stream-view";
import { CreateLogStreamDialog, ModifyLogStreamDialog } from "./log-stream-dialogs";
import { DeleteLogStreamDialog } from "./delete-dialogs";

type StreamAction = { kind: "create" } | { kind: "modify"; stream: LogStreamView } | { kind: "delete"; stream: LogStreamView } | null;

/** The log streams of the selected log group (guide chapter 7, step 2): Create Log Stream, Modify, Delete, and who logs into each. */
export function LogStreamList({ group }: { group: LogGroupView }) {
  const trpc = useTRPC();
  const streams = useQuery(trpc.logStream.list.queryOptions({ groupId: group.id }));
  const [action, setAction] = useState<StreamAction>(null);
  return (
    <div className="mt-6">
      <Card
        title={`Log Streams of ${group.name}`}
        actions={<Button onClick={() => setAction({ kind: "create" })}>Create Log Stream</Button>}
      >
        <DataTable
          label="Log Streams"
          rows={streams.data}
          getRowId={(s) => s.id}
          isLoading={streams.isLoading}
          error={streams.error}
          empty="No log streams in this group. Click Create Log Stream; then select it in a load balancer's Configure Access Log."
          columns={[
            { id: "name", header: "Log Stream Name", cell: (s) => <span className="font-medium">{s.name}</span> },
            { id: "id", header: "Log Stream ID (access_log_topic_id)", cell: (s) => <code className="text-xs">{s.id}</code> },
            { id: "syslog", header: "Syslog Forwarding", cell: (s) => (s.syslog ? `${s.syslog.protocol} ${s.syslog.host}:${s.syslog.port}` : "Off") },
            {
              id: "loadBalancers",
              header: "Load Balancers",
              cell: (s) =>
                s.loadBalancers.length === 0 ? (
                  "—"
                ) : (
                  <ul>
                    {s.loadBalancers.map((lb) => (
                      <li key={lb.id}>
                        <Link href={`/load-balancers/${lb.id}?tab=access-logs`} className="text-brand hover:underline">
                          {lb.name}
                        </Link>
                        {!lb.accessLogEnabled && <span className="text-xs text-slate-500"> (logging disabled)</span>}
                      </li>
                    ))}
                  </ul>
                ),
            },
            { id: "created", header: "Created", cell: (s) => <span className="whitespace-nowrap">{formatDateTime(s.createdAt)}</span> },
            operationColumn<LogStreamView>({
              onModify: (stream) => setAction({ kind: "modify", stream }),
              onDelete: (stream) => setAction({ kind: "delete", stream }),
              nameOf: (stream) => `log stream ${stream.name}`,
            }),
          ]}
        />
      </Card>
      {action?.kind === "create" && <CreateLogStreamDialog groupId={group.id} onClose={() => setAction(null)} />}
      {action?.kind === "modify" && <ModifyLogStreamDialog stream={action.stream} onClose={() => setAction(null)} />}
      {action?.kind === "delete" && <DeleteLogStreamDialog stream={action.stream} onClose={() => setAction(null)} />}
    </div>
  );
}
