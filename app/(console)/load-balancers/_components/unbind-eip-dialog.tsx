"use client";
import { useMutation } from "@tanstack/react-query";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { errorMessage } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { LoadBalancerView } from "@/server/services/load-balancer/load-balancer-view";
import { useRefreshLoadBalancers } from "./use-refresh-load-balancers";

/** Unbind EIP (guide 2.5): confirm with Yes; the EIP stays allocated. */
export function UnbindEipDialog({ lb, onClose }: { lb: LoadBalancerView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshLoadBalancers();
  const mutation = useMutation(
    trpc.loadBalancer.unbindEip.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <Dialog
      open
      title="Unbind EIP"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            No
          </Button>
          <Button disabled={mutation.isPending} onClick={() => mutation.mutate({ id: lb.id })}>
            Yes
          </Button>
        </>
      }
    >
      <p>
        Are you sure you want to unbind EIP <strong>{lb.eip?.address}</strong> from load balancer <strong>{lb.name}</strong>? After the EIP is unbound, the load
        balancer can no longer receive requests over the Internet.
      </p>
      {mutation.error && (
        <p role="alert" className="mt-2 text-red-600">
          {errorMessage(mutation.error)}
        </p>
      )}
    </Dialog>
  );
}
