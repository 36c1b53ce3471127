"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { useTRPC } from "@/app/_lib/trpc/react";
import { updatePoolSchema, type UpdatePoolInput } from "@/server/services/pool/pool.schemas";
import type { PoolView } from "@/server/services/pool/pool-view";
import { PoolFields } from "./pool-fields";
import { poolDraftFromView, poolFieldsOf } from "./pool-draft";
import { useDialogForm } from "@/app/_components/ui/use-dialog-form";
import { useRefreshBackends } from "./use-refresh-backends";

/** Modify a backend server group (guide 3.5, 4.3): name, algorithm, sticky session, description; not the protocol. */
export function ModifyPoolDialog({ pool, onClose }: { pool: PoolView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshBackends();
  const [draft, setDraft] = useState(() => poolDraftFromView(pool));
  const { errors, formMessage, save, mutationOptions } = useDialogForm({ refresh, onClose });
  const mutation = useMutation(trpc.pool.update.mutationOptions(mutationOptions));
  const submit = () => save<UpdatePoolInput>({ id: pool.id, ...poolFieldsOf(draft) }, mutation.mutate, updatePoolSchema);
  return (
    <FormDialog title="Modify Backend Server Group" onClose={onClose} onSubmit={submit} pending={mutation.isPending} message={formMessage}>
      <PoolFields draft={draft} onChange={setDraft} errors={errors} />
    </FormDialog>
  );
}
