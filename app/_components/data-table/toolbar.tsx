"use client";
import { useEffect, useState, type ReactNode } from "react";

/** The list toolbar: a filter-attribute selector with a search box, and actions on the right. */
export function Toolbar<K extends string>({ filterKeys, onSearch, actions, left }: { filterKeys?: { value: K; label: string }[]; onSearch?: (key: K, text: string) => void; actions?: ReactNode; left?: ReactNode }) {
  const [key, setKey] = useState<K | undefined>(filterKeys?.[0]?.value);
  const [text, setText] = useState("");
  // Search as the user types (debounced), like the cloud console's filter box.
  useEffect(() => {
    if (!onSearch || !key) return;
    const timer = setTimeout(() => onSearch(key, text.trim()), 250);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, text]);
  return (
    <div className="mb-3 flex items-center justify-between gap-2">
      <div className="flex items-center gap-2">{left}</div>
      <div className="flex items-center gap-2">
        {filterKeys && (
          <div className="flex overflow-hidden rounded border border-slate-300 bg-white">
            <select aria-label="Filter by" className="border-r border-slate-300 bg-slate-50 px-2 py-1.5 text-sm" value={key} onChange={(e) => setKey(e.target.value as K)}>
              {filterKeys.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
            <input aria-label="Search" placeholder="Search" className="w-56 px-2 py-1.5 text-sm focus:outline-none" value={text} onChange={(e) => setText(e.target.value)} />
          </div>
        )}
        {actions}
      </div>
    </div>
  );
}
