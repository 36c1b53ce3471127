"use client";
import { useQuery } from "@tanstack/react-query";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { errorMessage } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";

/** View Trace (guide 9.2 step 7, Figure 9-2): the trace's context as JSON. */
export function ViewTraceDialog({ traceId, onClose }: { traceId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const trace = useQuery(trpc.trace.get.queryOptions({ id: traceId }));
  return (
    <Dialog open wide title="View Trace" onClose={onClose} footer={<Button onClick={onClose}>OK</Button>}>
      {trace.isLoading ? (
        <p className="text-slate-500">Loading…</p>
      ) : trace.error ? (
        <p role="alert" className="text-red-600">
          {errorMessage(trace.error)}
        </p>
      ) : (
        <pre aria-label="Trace JSON" className="max-h-[60vh] overflow-auto whitespace-pre-wrap break-words rounded bg-slate-900 p-3 text-xs leading-relaxed text-slate-100">
          {`"context": ${JSON.stringify(trace.data, null, 2)}`}
        </pre>
      )}
    </Dialog>
  );
}
