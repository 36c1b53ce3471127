import type { ReactNode } from "react";
import { Button } from "@/app/_components/ui/button";

/** One row of an InfoList: the label and its value. */
export type InfoRow = readonly [label: string, value: ReactNode];

/** A details card's label/value list in two columns (Basic Information); `label` names the list. */
export function InfoList({ label, rows }: { label: string; rows: readonly InfoRow[] }) {
  return (
    <dl className="grid grid-cols-2 gap-x-8 gap-y-2" aria-label={label}>
      {rows.map(([term, value]) => (
        <div key={term} className="grid grid-cols-[11rem_1fr]">
          <dt className="text-slate-500">{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * A value with a link beside it, as the guide's "click Configure beside Health Check" or "Modify beside
 * Bandwidth". `name` gives the link a fuller accessible name ("Configure SNI"); no `onAction`, no link.
 */
export function WithAction({ children, action, name, onAction }: { children: ReactNode; action: string; name?: string; onAction?: () => void }) {
  return (
    <span className="flex flex-wrap items-center gap-3">
      {children}
      {onAction && (
        <Button variant="link" aria-label={name} onClick={onAction}>
          {action}
        </Button>
      )}
    </span>
  );
}
