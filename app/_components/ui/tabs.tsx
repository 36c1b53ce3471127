"use client";

/** Tab bar; the selected tab is controlled by the page (kept in the URL so tabs deep-link). */
export function Tabs<T extends string>({ tabs, value, onChange }: { tabs: { value: T; label: string }[]; value: T; onChange: (value: T) => void }) {
  return (
    <div role="tablist" className="mb-4 flex gap-6 border-b border-slate-200">
      {tabs.map((tab) => (
        <button
          key={tab.value}
          role="tab"
          aria-selected={tab.value === value}
          onClick={() => onChange(tab.value)}
          className={`-mb-px border-b-2 pb-2 ${tab.value === value ? "border-brand font-medium text-brand" : "border-transparent text-slate-600 hover:text-brand"}`}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
