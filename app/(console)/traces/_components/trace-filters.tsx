"use client";
import { useEffect, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import type { TraceFilterOptions } from "@/server/services/trace/list-trace-filter-options";
import type { TraceSearchBy } from "@/server/services/trace/trace.schemas";
import { TRACE_RETENTION_DAYS } from "@/server/services/trace/trace.schemas";
import type { TraceSource, TraceType } from "@/server/services/trace/trace-source";

/** The filters of the Trace List as the page holds them (empty string = not filtered). */
export interface TraceFilters {
  traceType: TraceType;
  traceSource: TraceSource | "";
  resourceType: string;
  searchBy: TraceSearchBy;
  searchValue: string;
  operator: string;
  status: "all" | "normal" | "warning" | "incident";
  /** `datetime-local` values, local time; empty = the last 7 days. */
  from: string;
  to: string;
}

/** No filter: every trace of the last 7 days. */
export const noTraceFilters: TraceFilters = { traceType: "management", traceSource: "", resourceType: "", searchBy: "traceName", searchValue: "", operator: "", status: "all", from: "", to: "" };

const control = "rounded border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-brand focus:outline-none";

/** "2026-11-21T09:30" for a datetime-local input, in local time. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The earliest minute a time range may start at: the first whole minute within the last 7 days. */
export function earliestRangeStart(now: Date): Date {
  const minute = 60_000;
  return new Date(Math.ceil((now.getTime() - TRACE_RETENTION_DAYS * 24 * 3600_000) / minute) * minute + minute);
}

/** The filter bar of guide 9.2 step 5: Trace Type, Trace Source, Resource Type, Search By, Operator, Trace Status, time range. */
export function TraceFilterBar({ value, onChange, options }: { value: TraceFilters; onChange: (next: TraceFilters) => void; options: TraceFilterOptions | undefined }) {
  const set = (patch: Partial<TraceFilters>) => onChange({ ...value, ...patch });
  // Typed search values apply after a pause, like the other lists' search boxes.
  const [text, setText] = useState(value.searchValue);
  useEffect(() => setText(value.searchValue), [value.searchValue]);
  useEffect(() => {
    if (value.searchBy === "traceName" || text === value.searchValue) return;
    const timer = setTimeout(() => onChange({ ...value, searchValue: text.trim() }), 300);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  const now = new Date();
  const earliest = toLocalInput(earliestRangeStart(now));
  const latest = toLocalInput(now);
  return (
    <div className="mb-3 flex flex-wrap items-end gap-3 rounded bg-white p-3 ring-1 ring-slate-200">
      <label className="flex flex-col gap-1 text-xs text-slate-500">
        Trace Type
        <select aria-label="Trace Type" className={control} value={value.traceType} onChange={(e) => set({ traceType: e.target.value as TraceType })}>
          <option value="management">Management</option>
          <option value="data">Data</option>
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs text-slate-500">
        Trace Source
        <select aria-label="Trace Source" className={control} value={value.traceSource} onChange={(e) => set({ traceSource: e.target.value as TraceFilters["traceSource"] })}>
          <option value="">All trace sources</option>
          {options?.traceSources.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs text-slate-500">
        Resource Type
        <select aria-label="Resource Type" className={control} value={value.resourceType} onChange={(e) => set({ resourceType: e.target.value })}>
          <option value="">All resource types</option>
          {options?.resourceTypes.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <div className="flex flex-col gap-1 text-xs text-slate-500">
        <span>Search By</span>
        <div className="flex">
          <select
            aria-label="Search By"
            className={`${control} rounded-r-none border-r-0 bg-slate-50`}
            value={value.searchBy}
            onChange={(e) => set({ searchBy: e.target.value as TraceSearchBy, searchValue: "" })}
          >
            <option value="traceName">Trace name</option>
            <option value="resourceId">Resource ID</option>
            <option value="resourceName">Resource name</option>
          </select>
          {value.searchBy === "traceName" ? (
            <select aria-label="Trace name" className={`${control} w-52 rounded-l-none`} value={value.searchValue} onChange={(e) => set({ searchValue: e.target.value })}>
              <option value="">All trace names</option>
              {options?.traceNames.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          ) : (
            <input
              aria-label={value.searchBy === "resourceId" ? "Resource ID" : "Resource name"}
              placeholder={value.searchBy === "resourceId" ? "Enter a resource ID" : "Enter a resource name"}
              className={`${control} w-52 rounded-l-none`}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          )}
        </div>
      </div>
      <label className="flex flex-col gap-1 text-xs text-slate-500">
        Operator
        <select aria-label="Operator" className={control} value={value.operator} onChange={(e) => set({ operator: e.target.value })}>
          <option value="">All operators</option>
          {options?.operators.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs text-slate-500">
        Trace Status
        <select aria-label="Trace Status" className={control} value={value.status} onChange={(e) => set({ status: e.target.value as TraceFilters["status"] })}>
          <option value="all">All trace statuses</option>
          <option value="normal">Normal</option>
          <option value="warning">Warning</option>
          <option value="incident">Incident</option>
        </select>
      </label>
      <div className="flex basis-full flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1 text-xs text-slate-500">
          <span>Time Range</span>
          <div className="flex items-center gap-2">
            <input aria-label="From" type="datetime-local" className={control} min={earliest} max={latest} value={value.from} onChange={(e) => set({ from: e.target.value })} />
            <span className="text-slate-400">–</span>
            <input aria-label="To" type="datetime-local" className={control} min={earliest} max={latest} value={value.to} onChange={(e) => set({ to: e.target.value })} />
          </div>
        </div>
        <Button variant="secondary" onClick={() => onChange(noTraceFilters)}>
          Reset
        </Button>
        <p className="pb-2 text-xs text-slate-500">Traces of the last 7 days in the selected region and enterprise project; leave the time range empty to see all of them. A range starting earlier is refused.</p>
      </div>
    </div>
  );
}
