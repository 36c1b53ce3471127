"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { DataTable } from "@/app/_components/data-table/data-table";
import { PageHeader } from "@/app/_components/ui/status";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { ListTracesInput } from "@/server/services/trace/trace.schemas";
import { traceColumns } from "./trace-columns";
import { TraceDetails } from "./trace-details";
import { noTraceFilters, TraceFilterBar, type TraceFilters } from "./trace-filters";
import { ViewTraceDialog } from "./view-trace-dialog";

const PAGE_SIZE = 10;

/** The list input for the filters: only what is set; times from local datetime-local values. */
function listInput(filters: TraceFilters, page: number): ListTracesInput {
  return {
    traceType: filters.traceType,
    traceSource: filters.traceSource || undefined,
    resourceType: filters.resourceType || undefined,
    searchBy: filters.searchValue ? filters.searchBy : undefined,
    searchValue: filters.searchValue || undefined,
    operator: filters.operator || undefined,
    status: filters.status,
    from: filters.from ? new Date(filters.from) : undefined,
    // The inputs have minute precision: "To 09:30" includes 09:30:59.
    to: filters.to ? new Date(new Date(filters.to).getTime() + 59_999) : undefined,
    page,
    pageSize: PAGE_SIZE,
  };
}

/** Trace List (guide 9.2): filter, newest first, page, expand a row's details, and View Trace. */
export function TraceList() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<TraceFilters>(noTraceFilters);
  const [page, setPage] = useState(1);
  const [viewing, setViewing] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback((id: string) => {
    setExpanded((open) => {
      const next = new Set(open);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  const options = useQuery(trpc.trace.filterOptions.queryOptions());
  const list = useQuery({ ...trpc.trace.list.queryOptions(listInput(filters, page)), placeholderData: keepPreviousData });
  const changeFilters = useCallback((next: TraceFilters) => {
    setFilters(next);
    setPage(1);
  }, []);
  const filtered = JSON.stringify(filters) !== JSON.stringify(noTraceFilters);
  return (
    <>
      <PageHeader title="Trace List" />
      <TraceFilterBar value={filters} onChange={changeFilters} options={options.data} />
      <DataTable
        label="Traces"
        columns={traceColumns({ isExpanded: (t) => expanded.has(t.id), onToggle: (t) => toggle(t.id), onView: (t) => setViewing(t.id) })}
        rows={list.data?.items}
        getRowId={(t) => t.id}
        isLoading={list.isLoading}
        error={list.error}
        empty={filtered ? "No trace matches the filters." : "No traces in the last 7 days. Every change made in this console (create, modify, delete) is recorded here."}
        expandedRow={(t) => (expanded.has(t.id) ? <TraceDetails trace={t} /> : null)}
        pagination={{ page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onPageChange: setPage }}
      />
      {viewing && <ViewTraceDialog traceId={viewing} onClose={() => setViewing(null)} />}
    </>
  );
}
