"use client";
import { useState } from "react";
import type { LoadBalancerView } from "@/server/services/load-balancer/load-balancer-view";
import type { LoadBalancerAction } from "./load-balancer-dialogs";

/** The Operation column: Modify Bandwidth (public) or Bind EIP (private), and More → Unbind EIP, Delete. */
export function OperationsMenu({ lb, onAction }: { lb: LoadBalancerView; onAction: (action: LoadBalancerAction) => void }) {
  const [open, setOpen] = useState(false);
  const item = "block w-full px-3 py-1.5 text-left hover:bg-slate-100 disabled:text-slate-400 disabled:hover:bg-transparent";
  return (
    <div className="relative flex items-center gap-3 whitespace-nowrap">
      {lb.eip ? (
        <button className="text-brand hover:underline" onClick={() => onAction({ kind: "modify-bandwidth", lb })}>
          Modify Bandwidth
        </button>
      ) : (
        <button className="text-brand hover:underline" onClick={() => onAction({ kind: "bind-eip", lb })}>
          Bind EIP
        </button>
      )}
      <button className="text-brand hover:underline" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)} onBlur={() => setTimeout(() => setOpen(false), 150)}>
        More ▾
      </button>
      {open && (
        <div role="menu" className="absolute right-0 top-6 z-20 w-36 rounded bg-white py-1 shadow-lg ring-1 ring-slate-200">
          <button role="menuitem" className={item} disabled={!lb.eip} onClick={() => onAction({ kind: "unbind-eip", lb })}>
            Unbind EIP
          </button>
          <button role="menuitem" className={item} onClick={() => onAction({ kind: "delete", lb })}>
            Delete
          </button>
        </div>
      )}
    </div>
  );
}
