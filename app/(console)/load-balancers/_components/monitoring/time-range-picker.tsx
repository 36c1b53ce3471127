"use client";
import { Input } from "@/app/_components/ui/field";
import { TIME_RANGE_PRESETS, type TimeRangeChoice } from "./time-range";

/** The time range buttons (1 h … 7 d, Custom) and, for Custom, From and To inputs with the range's error. */
export function TimeRangePicker({ value, onChange, error }: { value: TimeRangeChoice; onChange: (next: TimeRangeChoice) => void; error?: string | null }) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <div role="radiogroup" aria-label="Time Range" className="inline-flex overflow-hidden rounded border border-slate-300">
        {TIME_RANGE_PRESETS.map((p) => (
          <label key={p.value} className={`cursor-pointer px-3 py-1.5 text-sm ${value.preset === p.value ? "bg-brand text-white" : "bg-white hover:text-brand"}`}>
            <input type="radio" name="time-range" value={p.value} checked={value.preset === p.value} onChange={() => onChange({ ...value, preset: p.value })} className="sr-only" />
            {p.label}
          </label>
        ))}
      </div>
      {value.preset === "custom" && (
        <>
          <label className="flex items-center gap-1 text-sm text-slate-600">
            From
            <Input type="datetime-local" aria-label="From" value={value.customFrom ?? ""} onChange={(e) => onChange({ ...value, customFrom: e.target.value })} className="w-52" />
          </label>
          <label className="flex items-center gap-1 text-sm text-slate-600">
            To
            <Input type="datetime-local" aria-label="To" value={value.customTo ?? ""} onChange={(e) => onChange({ ...value, customTo: e.target.value })} className="w-52" />
          </label>
        </>
      )}
      {error && (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}
