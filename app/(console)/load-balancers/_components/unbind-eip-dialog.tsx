"use client";
import { useMutation } from "@tanstack/react-query";
import { ConfirmDialog } from "@/app/_components/ui/confirm-dialog";
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
    <ConfirmDialog title="Unbind EIP" onClose={onClose} onConfirm={() => mutation.mutate({ id: lb.id })} pending={mutation.isPending} error={mutation.error}>
      <p>
        Are you sure you want to unbind EIP <strong>{lb.eip?.address}</strong> from load balancer <strong>{lb.name}</strong>? After the EIP is unbound, the load
        balancer can no longer receive requests over the Internet.
      </p>
    </ConfirmDialog>
  );
}
