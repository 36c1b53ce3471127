"use client";
import { useMutation } from "@tanstack/react-query";
import { ConfirmDialog } from "@/app/_components/ui/confirm-dialog";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { CertificateView } from "@/server/services/certificate/certificate-view";
import { useRefreshCertificates } from "./use-refresh-certificates";

/** Delete Certificate (guide 6.3): Yes deletes; a certificate in use is refused and the dialog shows why. */
export function DeleteCertificateDialog({ certificate, onClose }: { certificate: CertificateView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshCertificates();
  const remove = useMutation(
    trpc.certificate.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog title="Delete Certificate" onClose={onClose} onConfirm={() => remove.mutate({ id: certificate.id })} pending={remove.isPending} error={remove.error}>
      Are you sure you want to delete certificate <strong>{certificate.name}</strong>? Only certificates that are not in use can be deleted.
    </ConfirmDialog>
  );
}
