"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { errorMessage } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { LoadBalancerView } from "@/server/services/load-balancer/load-balancer-view";
import { useRefreshLoadBalancers } from "./use-refresh-load-balancers";

/** Bind EIP (guide 2.5): select an unbound EIP and click OK. */
export function BindEipDialog({ lb, onClose }: { lb: LoadBalancerView; onClose: () => void }) {
  const trpc = useTRPC();
  const options = useQuery(trpc.loadBalancer.networkOptions.queryOptions());
  const [eipId, setEipId] = useState("");
  const refresh = useRefreshLoadBalancers();
  const mutation = useMutation(
    trpc.loadBalancer.bindEip.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  const eips = options.data?.unboundEips ?? [];
  return (
    <Dialog
      open
      title="Bind EIP"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button disabled={!eipId || mutation.isPending} onClick={() => mutation.mutate({ id: lb.id, eipId })}>
            OK
          </Button>
        </>
      }
    >
      <p className="mb-3 text-slate-600">
        Select the EIP to be bound to <strong>{lb.name}</strong>.
      </p>
      {options.isLoading ? (
        <p>Loading…</p>
      ) : eips.length === 0 ? (
        <p className="text-slate-500">No unbound EIP is available. Allocate one under Settings → Networks.</p>
      ) : (
        <ul className="max-h-64 overflow-auto rounded ring-1 ring-slate-200">
          {eips.map((eip) => (
            <li key={eip.id} className="border-b border-slate-100 last:border-0">
              <label className="flex cursor-pointer items-center gap-3 px-3 py-2 hover:bg-slate-50">
                <input type="radio" name="eip" value={eip.id} checked={eipId === eip.id} onChange={() => setEipId(eip.id)} aria-label={eip.address} />
                <span className="font-mono">{eip.address}</span>
                <span className="text-slate-500">Dynamic BGP · {eip.bandwidthMbit} Mbit/s</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {mutation.error && (
        <p role="alert" className="mt-2 text-red-600">
          {errorMessage(mutation.error)}
        </p>
      )}
    </Dialog>
  );
}
