"use client";
import { useState } from "react";
import type { z } from "zod";
import { serverError, zodFieldErrors, type FieldErrors } from "@/app/_lib/form-errors";

/** What a form dialog needs around its save (see `useDialogForm`). */
export interface DialogForm<TData> {
  /** Messages by the form's field keys; `form` is the one above the buttons. */
  errors: FieldErrors;
  setErrors: (errors: FieldErrors) => void;
  /** The message above the buttons (FormDialog's `message`). */
  formMessage: string | null;
  /**
   * Checks `input` with the server's `schema` when one is given (its messages go under the fields and
   * nothing is sent), else clears the errors and sends `input`.
   */
  save: <TInput>(input: TInput, send: (input: TInput) => void, schema?: z.ZodType) => void;
  /** For a tRPC `mutationOptions(…)`: refresh, `onSaved`, close; a refusal goes under the field it names. */
  mutationOptions: { onSuccess: (data: TData) => Promise<void>; onError: (error: unknown) => void };
}

/** Maps a field to the form's key for it: `fieldOf(field)`, else (no field, or null) `form`, above the buttons. */
export const errorKey = (field: string | null, fieldOf: (field: string) => string | null): string => (field === null ? null : fieldOf(field)) ?? "form";

/** Field errors under the form's keys (`errorKey`); where two fields share a key, the first message stays. */
export function keyedErrors(byField: FieldErrors, fieldOf: (field: string) => string | null): FieldErrors {
  const keyed: FieldErrors = {};
  for (const [field, message] of Object.entries(byField)) keyed[errorKey(field, fieldOf)] ??= message;
  return keyed;
}

/**
 * The errors and save of a form dialog that saves through tRPC mutations. `fieldOf` maps a field the
 * schema or the server names to the form's key for it (null, or an error naming no field: shown above the
 * buttons); by default every field keeps its name.
 */
export function useDialogForm<TData = unknown>({
  refresh,
  onClose,
  onSaved,
  fieldOf = (field) => field,
}: {
  refresh: () => Promise<unknown>;
  onClose: () => void;
  onSaved?: (data: TData) => void;
  fieldOf?: (field: string) => string | null;
}): DialogForm<TData> {
  const [errors, setErrors] = useState<FieldErrors>({});
  return {
    errors,
    setErrors,
    formMessage: errors.form ?? null,
    save: (input, send, schema) => {
      const result = schema?.safeParse(input);
      if (result && !result.success) return setErrors(keyedErrors(zodFieldErrors(result.error), fieldOf));
      setErrors({});
      send(input);
    },
    mutationOptions: {
      onSuccess: async (data) => {
        await refresh();
        onSaved?.(data);
        onClose();
      },
      onError: (error) => {
        const { field, message } = serverError(error);
        setErrors({ [errorKey(field, fieldOf)]: message });
      },
    },
  };
}
