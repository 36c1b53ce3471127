"use client";
import { useQuery } from "@tanstack/react-query";
import { Select } from "@/app/_components/ui/field";
import { useTRPC } from "@/app/_lib/trpc/react";

/** Redirected To (tables 3-3, 3-9): the HTTPS listeners of the load balancer, or a hint to add one first. */
export function RedirectTargetSelect({ id, loadBalancerId, value, onChange }: { id: string; loadBalancerId: string; value: string; onChange: (listenerId: string) => void }) {
  const trpc = useTRPC();
  const listeners = useQuery(trpc.listener.list.queryOptions({ loadBalancerId }));
  if (listeners.isLoading) return <p className="pt-1.5">Loading…</p>;
  const https = listeners.data?.filter((l) => l.protocol === "HTTPS") ?? [];
  if (https.length === 0) return <p className="pt-1.5 text-slate-500">This load balancer has no HTTPS listener. Add an HTTPS listener first.</p>;
  return (
    <Select id={id} aria-label="Redirected To" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">Select an HTTPS listener</option>
      {https.map((l) => (
        <option key={l.id} value={l.id}>
          {l.name} (HTTPS/{l.port})
        </option>
      ))}
    </Select>
  );
}
