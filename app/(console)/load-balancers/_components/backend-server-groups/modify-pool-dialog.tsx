"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { useTRPC } from "@/app/_lib/trpc/react";
import { updatePoolSchema, type UpdatePoolInput } from "@/server/services/pool/pool.schemas";
import type { PoolView } from "@/server/services/pool/pool-view";
import { PoolFields } from "./pool-fields";
import { poolDraftFromView, poolFieldsOf } from "./pool-draft";
import { serverError, zodFieldErrors, type FieldErrors } from "@/app/_lib/form-errors";
import { useRefreshBackends } from "./use-refresh-backends";

/** Modify a backend server group (guide 3.5, 4.3): name, algorithm, sticky session, description; not the protocol. */
export function ModifyPoolDialog({ pool, onClose }: { pool: PoolView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshBackends();
  const [draft, setDraft] = useState(() => poolDraftFromView(pool));
  const [errors, setErrors] = useState<FieldErrors>({});
  const mutation = useMutation(
    trpc.pool.update.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
      onError: (error) => {
        const { field, message } = serverError(error);
        setErrors({ [field ?? "form"]: message });
      },
    }),
  );
  const submit = () => {
    const input: UpdatePoolInput = { id: pool.id, ...poolFieldsOf(draft) };
    const result = updatePoolSchema.safeParse(input);
    if (!result.success) return setErrors(zodFieldErrors(result.error));
    setErrors({});
    mutation.mutate(input);
  };
  return (
    <FormDialog title="Modify Backend Server Group" onClose={onClose} onSubmit={submit} pending={mutation.isPending} message={errors.form ?? null}>
      <PoolFields draft={draft} onChange={setDraft} errors={errors} />
    </FormDialog>
  );
}
