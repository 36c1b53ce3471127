"use client";
import type { ReactNode } from "react";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { errorMessage } from "@/app/_lib/format";

/**
 * "Are you sure?" for a delete, remove, release or unbind: Yes/No as in the guide; the server's refusal
 * message (e.g. "still used by…") shows in the dialog.
 */
export function ConfirmDialog({
  title,
  confirmLabel = "Yes",
  cancelLabel = "No",
  onConfirm,
  onClose,
  pending,
  error,
  children,
}: {
  title: string;
  confirmLabel?: string;
  cancelLabel?: string;
  onConfirm: () => void;
  onClose: () => void;
  pending: boolean;
  error: unknown;
  children: ReactNode;
}) {
  return (
    <Dialog
      open
      title={title}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {cancelLabel}
          </Button>
          <Button variant="danger" disabled={pending} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="text-slate-700">{children}</div>
      {!!error && (
        <p role="alert" className="mt-3 text-red-600">
          {errorMessage(error)}
        </p>
      )}
    </Dialog>
  );
}
