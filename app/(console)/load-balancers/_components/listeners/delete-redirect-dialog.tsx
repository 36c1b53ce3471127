"use client";
import { useMutation } from "@tanstack/react-query";
import { ConfirmDialog } from "@/app/_components/ui/confirm-dialog";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { RedirectRow } from "./redirect-dialog";
import { useRefreshListeners } from "./use-refresh-listeners";

/** Delete Redirect (guide 3.8.4): Yes removes it; the listener serves its own configuration again. */
export function DeleteRedirectDialog({ redirect, onClose }: { redirect: RedirectRow; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshListeners();
  const mutation = useMutation(
    trpc.redirect.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog title="Delete Redirect" onClose={onClose} onConfirm={() => mutation.mutate({ id: redirect.id })} pending={mutation.isPending} error={mutation.error}>
      <p>
        Are you sure you want to delete redirect <strong>{redirect.name}</strong> to <strong>{redirect.targetListener.name}</strong>?
      </p>
    </ConfirmDialog>
  );
}
