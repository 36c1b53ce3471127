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

/** What the columns do: toggle a row's inline details (guide 9.2 step 6) and open View Trace (step 7). */
export interface TraceColumnActions {
  isExpanded: (trace: TraceListItem) => boolean;
  onToggle: (trace: TraceListItem) => void;
  onView: (trace: TraceListItem) => void;
}

/** Columns of the Trace List (guide 9.2): the expand toggle first, View Trace in the Operation column. */
export function traceColumns({ isExpanded, onToggle, onView }: TraceColumnActions): Column<TraceListItem>[] {
  return [
    {
      id: "expand",
      header: "",
      className: "w-8",
      cell: (t) => {
        const open = isExpanded(t);
        return (
          <button
            type="button"
            aria-expanded={open}
            aria-label={`${open ? "Collapse" : "Expand"} ${t.traceName} ${t.id}`}
            className="text-slate-500 hover:text-brand"
            onClick={() => onToggle(t)}
          >
            <span aria-hidden>{open ? "▾" : "▸"}</span>
          </button>
        );
      },
    },
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
