"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Field, Input } from "@/app/_components/ui/field";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { RegionView } from "@/server/services/region/list-regions";
import { ConfirmDialog } from "@/app/_components/ui/confirm-dialog";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { fieldError } from "@/app/_lib/form-errors";
import { useRefreshAll } from "./use-settings-access";

/** Create Region (code + name) or, given `region`, rename it (the code stays). */
export function RegionDialog({ region, onClose }: { region?: RegionView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const [code, setCode] = useState(region?.code ?? "");
  const [name, setName] = useState(region?.name ?? "");
  const onSuccess = async () => {
    await refresh();
    onClose();
  };
  const create = useMutation(trpc.region.create.mutationOptions({ onSuccess }));
  const rename = useMutation(trpc.region.rename.mutationOptions({ onSuccess }));
  const mutation = region ? rename : create;
  return (
    <FormDialog
      title={region ? "Rename Region" : "Create Region"}
      onClose={onClose}
      onSubmit={() => (region ? rename.mutate({ id: region.id, name }) : create.mutate({ code, name }))}
      pending={mutation.isPending}
      error={mutation.error}
      fields={["code", "name"]}
    >
      <Field label="Region Code" htmlFor="region-code" required={!region} error={fieldError(mutation.error, "code")} hint={region ? "The code identifies the region and cannot change." : "1–32 lowercase letters, digits and hyphens, e.g. local-2"}>
        <Input id="region-code" value={code} disabled={!!region} onChange={(e) => setCode(e.target.value)} autoFocus={!region} />
      </Field>
      <Field label="Name" htmlFor="region-name" required error={fieldError(mutation.error, "name")} hint="Shown in the region selector; 1–64 characters">
        <Input id="region-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus={!!region} />
      </Field>
    </FormDialog>
  );
}

/** Delete Region; the server refuses while it holds load balancers, VPCs or EIP pools. */
export function DeleteRegionDialog({ region, onClose }: { region: RegionView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const remove = useMutation(
    trpc.region.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog title="Delete Region" confirmLabel="Delete" onClose={onClose} onConfirm={() => remove.mutate({ id: region.id })} pending={remove.isPending} error={remove.error}>
      Are you sure you want to delete region <strong>{region.name}</strong> ({region.code})?
    </ConfirmDialog>
  );
}
