import type { ReactNode } from "react";

const tones = {
  green: "bg-emerald-500",
  red: "bg-red-500",
  gray: "bg-slate-400",
  amber: "bg-amber-500",
  blue: "bg-brand",
} as const;

/** A coloured dot with a label, for statuses ("Running", "Healthy", …). */
export function StatusDot({ tone, children }: { tone: keyof typeof tones; children: ReactNode }) {
  return (
    <span className="inline-flex items-center gap-1.5">
      <span className={`inline-block h-2 w-2 rounded-full ${tones[tone]}`} />
      {children}
    </span>
  );
}

/** A small rounded label (tags). */
export function Badge({ children }: { children: ReactNode }) {
  return <span className="mr-1 inline-block rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600 ring-1 ring-slate-200">{children}</span>;
}

/** A white panel with an optional title and actions. */
export function Card({ title, actions, children }: { title?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="rounded bg-white p-4 shadow-sm ring-1 ring-slate-200">
      {(title || actions) && (
        <div className="mb-3 flex items-center justify-between">
          {title && <h2 className="text-base font-semibold">{title}</h2>}
          <div className="flex gap-2">{actions}</div>
        </div>
      )}
      {children}
    </section>
  );
}

/** Page heading with actions on the right. */
export function PageHeader({ title, actions }: { title: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-4 flex items-center justify-between">
      <h1 className="text-xl font-semibold">{title}</h1>
      <div className="flex gap-2">{actions}</div>
    </div>
  );
}
