"use client";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Input, Select } from "@/app/_components/ui/field";
import { ACCESS_LOG_RANGES, type AccessLogFilterDraft, type AccessLogRange } from "./access-log-range";

const EMPTY: AccessLogFilterDraft = { range: "1h", customFrom: "", customTo: "", status: "", clientIp: "", path: "", text: "" };

/** The Access Logs tab's filters: time range (default the last hour), status, client IP, path prefix and text. */
export function AccessLogSearchForm({ onSearch, onDownload, retentionDays }: { onSearch: (draft: AccessLogFilterDraft) => void; onDownload: (draft: AccessLogFilterDraft) => void; retentionDays: number | null }) {
  const [draft, setDraft] = useState<AccessLogFilterDraft>(EMPTY);
  const set = (change: Partial<AccessLogFilterDraft>) => setDraft({ ...draft, ...change });
  const input = (key: "status" | "clientIp" | "path" | "text", label: string, placeholder: string, width = "w-36") => (
    <label className="flex flex-col gap-1 text-xs text-slate-600">
      {label}
      <Input aria-label={label} className={width} placeholder={placeholder} value={draft[key]} onChange={(e) => set({ [key]: e.target.value })} />
    </label>
  );
  return (
    <form
      className="mb-3 flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(draft);
      }}
    >
      <label className="flex flex-col gap-1 text-xs text-slate-600">
        Time Range
        <Select aria-label="Time Range" className="w-40" value={draft.range} onChange={(e) => set({ range: e.target.value as AccessLogRange })}>
          {ACCESS_LOG_RANGES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </Select>
      </label>
      {draft.range === "custom" && (
        <>
          <label className="flex flex-col gap-1 text-xs text-slate-600">
            From
            <Input aria-label="From" type="datetime-local" step={1} value={draft.customFrom} onChange={(e) => set({ customFrom: e.target.value })} />
          </label>
          <label className="flex flex-col gap-1 text-xs text-slate-600">
            To
            <Input aria-label="To" type="datetime-local" step={1} value={draft.customTo} onChange={(e) => set({ customTo: e.target.value })} />
          </label>
        </>
      )}
      {input("status", "Status", "5xx, 404", "w-28")}
      {input("clientIp", "Client IP", "192.0.2.10")}
      {input("path", "Path", "/api/ (prefix)", "w-40")}
      {input("text", "Text", "any text in the record", "w-48")}
      <Button type="submit">Search</Button>
      <Button variant="secondary" onClick={() => onDownload(draft)}>
        Download
      </Button>
      {retentionDays !== null && <span className="pb-2 text-xs text-slate-500">Searches reach back at most {retentionDays} day{retentionDays === 1 ? "" : "s"} (the log group's retention).</span>}
    </form>
  );
}
