"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { Input } from "@/app/_components/ui/field";
import { errorMessage } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { LoadBalancerView } from "@/server/services/load-balancer/load-balancer-view";
import { useRefreshLoadBalancers } from "./use-refresh-load-balancers";

/** Delete (guide 2.6): type the load balancer's name to confirm; the server refuses while listeners etc. remain. */
export function DeleteLoadBalancerDialog({ lb, onClose, onDeleted }: { lb: LoadBalancerView; onClose: () => void; onDeleted?: () => void }) {
  const [typed, setTyped] = useState("");
  const trpc = useTRPC();
  const refresh = useRefreshLoadBalancers();
  const mutation = useMutation(
    trpc.loadBalancer.delete.mutationOptions({
      onSuccess: async () => {
        onClose();
        onDeleted?.();
        await refresh();
      },
    }),
  );
  return (
    <Dialog
      open
      title="Delete Load Balancer"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            No
          </Button>
          <Button variant="danger" disabled={typed !== lb.name || mutation.isPending} onClick={() => mutation.mutate({ id: lb.id, confirmName: typed })}>
            Yes
          </Button>
        </>
      }
    >
      <p className="mb-2">
        A deleted load balancer cannot be recovered. {lb.eip && <>Its EIP {lb.eip.address} will not be released.</>}
      </p>
      <label htmlFor="confirm-name" className="mb-1 block text-slate-600">
        Type <strong>{lb.name}</strong> to confirm.
      </label>
      <Input id="confirm-name" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
      {mutation.error && (
        <p role="alert" className="mt-2 text-red-600">
          {errorMessage(mutation.error)}
        </p>
      )}
    </Dialog>
  );
}
