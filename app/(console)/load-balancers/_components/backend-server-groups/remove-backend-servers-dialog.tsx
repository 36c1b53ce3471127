"use client";
import { useMutation } from "@tanstack/react-query";
import { ConfirmDialog } from "@/app/_components/ui/confirm-dialog";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { MemberView } from "@/server/services/member/list-members";
import { useRefreshBackends } from "./use-refresh-backends";

/** Remove backend servers (guide 4.3): one from the Operation column, or the selected ones; Yes confirms. */
export function RemoveBackendServersDialog({ poolId, members, onClose, onRemoved }: { poolId: string; members: MemberView[]; onClose: () => void; onRemoved: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshBackends();
  const mutation = useMutation(
    trpc.member.remove.mutationOptions({
      onSuccess: async () => {
        onRemoved();
        onClose();
        await refresh();
      },
    }),
  );
  return (
    <ConfirmDialog title="Remove Backend Servers" onClose={onClose} onConfirm={() => mutation.mutate({ poolId, ids: members.map((m) => m.id) })} pending={mutation.isPending} error={mutation.error}>
      <p className="mb-2">
        Are you sure you want to remove {members.length === 1 ? "this backend server" : `these ${members.length} backend servers`}? They will no longer receive requests from the load balancer.
      </p>
      <ul className="max-h-40 overflow-auto text-slate-600">
        {members.map((m) => (
          <li key={m.id} className="font-mono text-xs">
            {m.name} — {m.address}:{m.port}
          </li>
        ))}
      </ul>
    </ConfirmDialog>
  );
}
