"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Select } from "@/app/_components/ui/field";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { LoadBalancerView } from "@/server/services/load-balancer/load-balancer-view";
import { hasLayer7Metrics } from "./monitoring-metrics";
import { MonitoringView } from "./monitoring-view";

/**
 * The load balancer's Monitoring tab: the charts of the load balancer (the sum of its listeners, plus
 * server health) or, chosen in Dimension, of one of its listeners. Layer-7 metrics are offered for the
 * load balancer when it has an HTTP/HTTPS listener, and for a listener when its frontend is HTTP/HTTPS.
 */
export function MonitoringTab({ lb }: { lb: LoadBalancerView }) {
  const trpc = useTRPC();
  const listeners = useQuery(trpc.listener.list.queryOptions({ loadBalancerId: lb.id }));
  const [dimension, setDimension] = useState<string>("");
  const listener = listeners.data?.find((l) => l.id === dimension);
  const layer7 = listener ? hasLayer7Metrics(listener.protocol) : (listeners.data ?? []).some((l) => hasLayer7Metrics(l.protocol));
  const select = (
    <label className="flex items-center gap-2 text-sm text-slate-600">
      Dimension
      <Select aria-label="Dimension" value={listener ? listener.id : ""} onChange={(e) => setDimension(e.target.value)} className="w-72">
        <option value="">Load balancer: {lb.name}</option>
        {(listeners.data ?? []).map((l) => (
          <option key={l.id} value={l.id}>
            Listener: {l.name} ({l.protocol}/{l.port})
          </option>
        ))}
      </Select>
    </label>
  );
  return <MonitoringView objectKind={listener ? "LISTENER" : "LOAD_BALANCER"} objectId={listener ? listener.id : lb.id} layer7={layer7} dimension={select} />;
}
