"use client";
import { useMutation } from "@tanstack/react-query";
import { ConfirmDialog } from "@/app/_components/ui/confirm-dialog";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { ForwardingPolicyRow } from "./forwarding-policy-draft";
import { useRefreshListeners } from "./use-refresh-listeners";

/** Delete a forwarding policy (guide 3.8.1): Yes removes it; its requests go to the listener's group again. */
export function DeleteForwardingPolicyDialog({ policy, onClose }: { policy: ForwardingPolicyRow; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshListeners();
  const mutation = useMutation(
    trpc.forwardingPolicy.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog title="Delete Forwarding Policy" onClose={onClose} onConfirm={() => mutation.mutate({ id: policy.id })} pending={mutation.isPending} error={mutation.error}>
      <p>
        Are you sure you want to delete forwarding policy <strong>{policy.name}</strong>? Its requests will go to the listener&apos;s backend server group.
      </p>
    </ConfirmDialog>
  );
}
