"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Field, Input } from "@/app/_components/ui/field";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { useDialogForm } from "@/app/_components/ui/use-dialog-form";
import { numberOf, type FieldErrors } from "@/app/_lib/form-errors";
import { useTRPC } from "@/app/_lib/trpc/react";
import { createLogGroupSchema, updateLogGroupSchema } from "@/server/services/log-group/log-group.schemas";
import type { LogGroupView } from "@/server/services/log-group/log-group-view";
import { useRefreshLogManagement } from "./use-refresh-log-management";

interface LogGroupDraft {
  name: string;
  retentionDays: string;
  maxSizeMegabytes: string;
}

const FIELDS: readonly string[] = ["name", "retentionDays", "maxSizeMegabytes"];
const fieldOf = (field: string) => (FIELDS.includes(field) ? field : null);

/** Log Group Name, Retention (days) and Size Limit (MiB). */
function LogGroupFields({ draft, onChange, errors }: { draft: LogGroupDraft; onChange: (d: LogGroupDraft) => void; errors: FieldErrors }) {
  const set = (change: Partial<LogGroupDraft>) => onChange({ ...draft, ...change });
  return (
    <>
      <Field label="Log Group Name" htmlFor="log-group-name" required error={errors.name} hint="1–64 letters, digits, underscores (_), hyphens (-) and periods (.); unique in the project">
        <Input id="log-group-name" value={draft.name} onChange={(e) => set({ name: e.target.value })} autoFocus />
      </Field>
      <Field label="Retention (days)" htmlFor="log-group-retention" required error={errors.retentionDays} hint="1–365. Records older than this are deleted; searches reach back at most this far.">
        <Input id="log-group-retention" type="number" min={1} max={365} value={draft.retentionDays} onChange={(e) => set({ retentionDays: e.target.value })} />
      </Field>
      <Field label="Size Limit (MiB)" htmlFor="log-group-size" required error={errors.maxSizeMegabytes} hint="1–1048576. Beyond it the group's oldest files are deleted first.">
        <Input id="log-group-size" type="number" min={1} value={draft.maxSizeMegabytes} onChange={(e) => set({ maxSizeMegabytes: e.target.value })} />
      </Field>
    </>
  );
}

const inputOf = (d: LogGroupDraft) => ({ name: d.name, retentionDays: numberOf(d.retentionDays), maxSizeMegabytes: numberOf(d.maxSizeMegabytes) });

/** Create Log Group (guide chapter 7, step 1e): a name; retention 7 days and 10 240 MiB unless changed. */
export function CreateLogGroupDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshLogManagement();
  const [draft, setDraft] = useState<LogGroupDraft>({ name: "", retentionDays: "7", maxSizeMegabytes: "10240" });
  const { errors, formMessage, save, mutationOptions } = useDialogForm({ refresh, onClose, fieldOf });
  const create = useMutation(trpc.logGroup.create.mutationOptions(mutationOptions));
  return (
    <FormDialog title="Create Log Group" onClose={onClose} onSubmit={() => save(inputOf(draft), create.mutate, createLogGroupSchema)} pending={create.isPending} message={formMessage}>
      <LogGroupFields draft={draft} onChange={setDraft} errors={errors} />
    </FormDialog>
  );
}

/** Modify a log group's name, retention or size limit (load balancers logging into it get the new limits). */
export function ModifyLogGroupDialog({ group, onClose }: { group: LogGroupView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshLogManagement();
  const [draft, setDraft] = useState<LogGroupDraft>({ name: group.name, retentionDays: String(group.retentionDays), maxSizeMegabytes: String(group.maxSizeMegabytes) });
  const { errors, formMessage, save, mutationOptions } = useDialogForm({ refresh, onClose, fieldOf });
  const update = useMutation(trpc.logGroup.update.mutationOptions(mutationOptions));
  return (
    <FormDialog title="Modify Log Group" onClose={onClose} onSubmit={() => save({ id: group.id, ...inputOf(draft) }, update.mutate, updateLogGroupSchema)} pending={update.isPending} message={formMessage}>
      <LogGroupFields draft={draft} onChange={setDraft} errors={errors} />
    </FormDialog>
  );
}
