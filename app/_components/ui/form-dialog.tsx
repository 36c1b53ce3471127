"use client";
import { useId, type ReactNode } from "react";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { formError } from "@/app/_lib/form-errors";

/**
 * A dialog holding one form: Enter or the submit button submits, Cancel closes. Errors about the form's own
 * `fields` are shown by the fields themselves; any other error (or `message`) is shown above the buttons.
 */
export function FormDialog({
  title,
  submitLabel = "OK",
  onSubmit,
  onClose,
  pending,
  error,
  fields = [],
  message: ownMessage,
  children,
}: {
  title: string;
  submitLabel?: string;
  onSubmit: () => void;
  onClose: () => void;
  pending: boolean;
  error?: unknown;
  fields?: readonly string[];
  /** A message the form computed itself (e.g. a server error it mapped); shown instead of `error`. */
  message?: string | null;
  children: ReactNode;
}) {
  const formId = useId();
  const message = ownMessage !== undefined ? ownMessage : formError(error, fields);
  return (
    <Dialog
      open
      wide
      title={title}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form={formId} disabled={pending}>
            {pending ? "Submitting…" : submitLabel}
          </Button>
        </>
      }
    >
      {/* noValidate: the server's message ("Bandwidth: must be between 1 and 2000 Mbit/s") shows under the field, not a browser tooltip. */}
      <form
        noValidate
        id={formId}
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        {children}
      </form>
      {message && (
        <p role="alert" className="mt-2 text-red-600">
          {message}
        </p>
      )}
    </Dialog>
  );
}
