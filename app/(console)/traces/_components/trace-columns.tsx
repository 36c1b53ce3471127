"use client";
import type { Column } from "@/app/_components/data-table/data-table";
import { Button } from "@/app/_components/ui/button";
import { StatusDot } from "@/app/_components/ui/status";
import { formatDateTime } from "@/app/_lib/format";
import type { TraceListItem } from "@/server/services/trace/list-traces";

const statusDots = {
  normal: { tone: "green", label: "Normal" },
  warning: { tone: "amber", label: "Warning" },
  incident: { tone: "red", label: "Incident" },
} as const;

const dash = <span className="text-slate-400">—</span>;

/** Columns of the Trace List (guide 9.2), with View Trace in the Operation column. */
export function traceColumns(onView: (trace: TraceListItem) => void): Column<TraceListItem>[] {
  return [
    { id: "traceName", header: "Trace Name", cell: (t) => t.traceName },
    { id: "resourceType", header: "Resource Type", cell: (t) => t.resourceType },
    { id: "traceSource", header: "Trace Source", cell: (t) => t.traceSource },
    { id: "resourceId", header: "Resource ID", cell: (t) => (t.resourceId ? <code className="break-all text-xs">{t.resourceId}</code> : dash), className: "max-w-[14rem]" },
    { id: "resourceName", header: "Resource Name", cell: (t) => t.resourceName ?? dash },
    {
      id: "status",
      header: "Trace Status",
      cell: (t) => {
        const dot = statusDots[t.status];
        return <StatusDot tone={dot.tone}>{dot.label}</StatusDot>;
      },
    },
    { id: "operator", header: "Operator", cell: (t) => t.userName },
    { id: "time", header: "Operation Time", cell: (t) => formatDateTime(t.time), className: "whitespace-nowrap" },
    {
      id: "operation",
      header: "Operation",
      cell: (t) => (
        <Button variant="link" aria-label={`View Trace ${t.traceName} ${t.id}`} onClick={() => onView(t)}>
          View Trace
        </Button>
      ),
    },
  ];
}
