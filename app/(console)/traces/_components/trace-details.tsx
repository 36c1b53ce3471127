"use client";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { errorMessage, formatDateTime } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { TraceListItem } from "@/server/services/trace/list-traces";

const traceTypeLabels = { management: "Management", data: "Data" } as const;

/** One labelled value of the details. */
function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="break-all text-sm text-slate-800">{children ?? "—"}</dd>
    </div>
  );
}

/** A trace's body (redacted JSON text), bounded in height. */
function Body({ text }: { text: string | null | undefined }) {
  if (!text) return <span className="text-slate-400">—</span>;
  return <pre className="max-h-40 overflow-auto whitespace-pre-wrap break-all rounded bg-white p-2 text-xs ring-1 ring-slate-200">{text}</pre>;
}

/** A trace's details expanded inline below its row (guide 9.2 step 6, figure 9-1). */
export function TraceDetails({ trace }: { trace: TraceListItem }) {
  const trpc = useTRPC();
  const full = useQuery(trpc.trace.get.queryOptions({ id: trace.id }));
  return (
    <dl aria-label={`Details of ${trace.traceName} ${trace.id}`} className="grid grid-cols-2 gap-x-6 gap-y-2 md:grid-cols-4">
      <Detail label="Trace ID">{trace.id}</Detail>
      <Detail label="Trace Type">{traceTypeLabels[trace.traceType]}</Detail>
      <Detail label="Trace Source">{trace.traceSource}</Detail>
      <Detail label="Code">{trace.code}</Detail>
      <Detail label="Source IP">{trace.sourceIp}</Detail>
      <Detail label="Operator">{trace.userName}</Detail>
      <Detail label="Resource ID">{trace.resourceId}</Detail>
      <Detail label="Operation Time">{formatDateTime(trace.time)}</Detail>
      <div className="col-span-2 md:col-span-4">
        {full.isLoading ? (
          <p className="text-xs text-slate-500">Loading request and response…</p>
        ) : full.error ? (
          <p role="alert" className="text-xs text-red-600">
            {errorMessage(full.error)}
          </p>
        ) : (
          <div className="grid gap-3 md:grid-cols-2">
            <Detail label="Request">
              <Body text={full.data?.request} />
            </Detail>
            <Detail label="Response">
              <Body text={full.data?.response} />
            </Detail>
          </div>
        )}
      </div>
    </dl>
  );
}
