"use client";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import type { MetricDefinition, MetricId } from "@/server/metrics/metric-catalog";

/**
 * "Metrics (n)": opens a list of the object's metrics as checkboxes (name, unit, description); ticking
 * one adds its chart, unticking removes it. "Defaults" goes back to the default charts.
 */
export function MetricPicker({ available, charted, onChange }: { available: readonly MetricDefinition[]; charted: readonly MetricId[]; onChange: (picked: MetricId[] | null) => void }) {
  const [open, setOpen] = useState(false);
  const selected = new Set(charted);
  const toggle = (id: MetricId, on: boolean) => onChange(available.filter((m) => (m.id === id ? on : selected.has(m.id))).map((m) => m.id));
  return (
    <div className="relative">
      <Button variant="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
        Metrics ({charted.length})
      </Button>
      {open && (
        <div role="group" aria-label="Metrics" className="absolute right-0 z-20 mt-1 max-h-96 w-96 overflow-y-auto rounded bg-white p-3 shadow-lg ring-1 ring-slate-200">
          {available.map((m) => (
            <label key={m.id} className="flex cursor-pointer gap-2 py-1 text-sm">
              <input type="checkbox" checked={selected.has(m.id)} onChange={(e) => toggle(m.id, e.target.checked)} aria-describedby={`metric-${m.id}`} />
              <span>
                {m.name} <span className="text-slate-500">({m.unit})</span>
                <span id={`metric-${m.id}`} className="block text-xs text-slate-500">
                  {m.description}
                </span>
              </span>
            </label>
          ))}
          <div className="mt-2 flex justify-end gap-2 border-t border-slate-100 pt-2">
            <Button variant="link" onClick={() => onChange(null)}>
              Defaults
            </Button>
            <Button variant="link" onClick={() => setOpen(false)}>
              Close
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}
