"use client";
import { useState } from "react";
import { DataTable } from "@/app/_components/data-table/data-table";
import { Button } from "@/app/_components/ui/button";
import { formatDateTime } from "@/app/_lib/format";
import type { AccessLogPage } from "@/server/services/access-log/search-access-logs";
import { accessLogFieldRows } from "./access-log-fields";

type Row = AccessLogPage["records"][number];

/** A page of records, newest first: the key fields in columns; Details expands every field of table 7-1. */
export function AccessLogTable({ records, isLoading, error, empty }: { records: Row[] | undefined; isLoading: boolean; error: unknown; empty: string }) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (cursor: string) => {
    const next = new Set(expanded);
    if (next.has(cursor)) next.delete(cursor);
    else next.add(cursor);
    setExpanded(next);
  };
  return (
    <DataTable<Row>
      label="Access Logs"
      rows={records}
      getRowId={(r) => r.cursor}
      isLoading={isLoading}
      error={error}
      empty={empty}
      expandedRow={(r) =>
        expanded.has(r.cursor) ? (
          <dl className="grid grid-cols-[minmax(12rem,auto)_1fr] gap-x-4 gap-y-0.5 text-xs" aria-label="Record fields">
            {accessLogFieldRows(r.entry).map(([name, value]) => (
              <div key={name} className="contents">
                <dt className="font-mono text-slate-500">{name}</dt>
                <dd className="break-all font-mono">{value}</dd>
              </div>
            ))}
          </dl>
        ) : null
      }
      columns={[
        {
          id: "expand",
          header: "",
          cell: (r) => (
            <Button variant="link" aria-expanded={expanded.has(r.cursor)} aria-label={`Details of the record at ${r.entry.timeIso8601}`} onClick={() => toggle(r.cursor)}>
              {expanded.has(r.cursor) ? "▾" : "▸"}
            </Button>
          ),
        },
        { id: "time", header: "Time", cell: (r) => <span className="whitespace-nowrap">{formatDateTime(new Date(Math.round(r.entry.msec * 1000)))}</span> },
        { id: "client", header: "Client", cell: (r) => <span className="whitespace-nowrap">{`${r.entry.remoteAddr}:${r.entry.remotePort}`}</span> },
        { id: "status", header: "Status", cell: (r) => r.entry.status },
        { id: "request", header: "Request", cell: (r) => <span className="break-all">{`${r.entry.requestMethod} ${r.entry.host}${r.entry.routerRequestUri}`}</span> },
        { id: "requestTime", header: "Request Time (s)", cell: (r) => r.entry.requestTime.toFixed(3) },
        { id: "upstreamStatus", header: "Backend Status", cell: (r) => r.entry.upstreamStatus ?? "-" },
        { id: "backend", header: "Backend Server", cell: (r) => r.entry.upstreamAddrPriv ?? "-" },
        { id: "bytesSent", header: "Bytes Sent", cell: (r) => r.entry.bytesSent },
        { id: "listener", header: "Listener", cell: (r) => r.entry.listenerName },
      ]}
    />
  );
}
