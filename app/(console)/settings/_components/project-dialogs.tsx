"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Field, Input, Textarea } from "@/app/_components/ui/field";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { ProjectView } from "@/server/services/project/list-projects";
import { DEFAULT_LISTENER_QUOTA, DEFAULT_LOAD_BALANCER_QUOTA, QUOTA_MAX, QUOTA_MIN } from "@/server/services/project/project.schemas";
import { ConfirmDialog } from "@/app/_components/ui/confirm-dialog";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { fieldError } from "@/app/_lib/form-errors";
import { useRefreshAll } from "./use-settings-access";

const FIELDS = ["name", "description", "loadBalancerQuota", "listenerQuota"] as const;

/** Create Enterprise Project or, given `project`, modify it: name, description and the two quotas. */
export function ProjectDialog({ project, onClose }: { project?: ProjectView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const [name, setName] = useState(project?.name ?? "");
  const [description, setDescription] = useState(project?.description ?? "");
  const [lbQuota, setLbQuota] = useState(String(project?.loadBalancerQuota ?? DEFAULT_LOAD_BALANCER_QUOTA));
  const [listenerQuota, setListenerQuota] = useState(String(project?.listenerQuota ?? DEFAULT_LISTENER_QUOTA));
  const onSuccess = async () => {
    await refresh();
    onClose();
  };
  const create = useMutation(trpc.project.create.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.project.update.mutationOptions({ onSuccess }));
  const mutation = project ? update : create;
  const values = { name, description, loadBalancerQuota: Number(lbQuota), listenerQuota: Number(listenerQuota) };
  const quotaHint = (used: number | undefined, what: string, fallback: number) =>
    `${QUOTA_MIN}–${QUOTA_MAX}; default ${fallback}.${used === undefined ? "" : ` In use: ${used} ${what}.`}`;
  return (
    <FormDialog
      title={project ? "Modify Enterprise Project" : "Create Enterprise Project"}
      onClose={onClose}
      onSubmit={() => (project ? update.mutate({ id: project.id, ...values }) : create.mutate(values))}
      pending={mutation.isPending}
      error={mutation.error}
      fields={FIELDS}
    >
      <Field label="Name" htmlFor="project-name" required error={fieldError(mutation.error, "name")} hint="1–64 letters, digits, underscores (_), hyphens (-) and periods (.)">
        <Input id="project-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      </Field>
      <Field label="Description" htmlFor="project-description" error={fieldError(mutation.error, "description")} hint="Up to 255 characters">
        <Textarea id="project-description" value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <Field label="Load Balancer Quota" htmlFor="project-lb-quota" required error={fieldError(mutation.error, "loadBalancerQuota")} hint={quotaHint(project?.loadBalancerCount, "load balancers", DEFAULT_LOAD_BALANCER_QUOTA)}>
        <Input id="project-lb-quota" type="number" min={QUOTA_MIN} max={QUOTA_MAX} step={1} value={lbQuota} onChange={(e) => setLbQuota(e.target.value)} />
      </Field>
      <Field label="Listener Quota" htmlFor="project-listener-quota" required error={fieldError(mutation.error, "listenerQuota")} hint={quotaHint(project?.listenerCount, "listeners", DEFAULT_LISTENER_QUOTA)}>
        <Input id="project-listener-quota" type="number" min={QUOTA_MIN} max={QUOTA_MAX} step={1} value={listenerQuota} onChange={(e) => setListenerQuota(e.target.value)} />
      </Field>
    </FormDialog>
  );
}

/** Delete Enterprise Project; the server refuses while it holds load balancers or EIPs. */
export function DeleteProjectDialog({ project, onClose }: { project: ProjectView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const remove = useMutation(
    trpc.project.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog title="Delete Enterprise Project" confirmLabel="Delete" onClose={onClose} onConfirm={() => remove.mutate({ id: project.id })} pending={remove.isPending} error={remove.error}>
      Are you sure you want to delete enterprise project <strong>{project.name}</strong>?
    </ConfirmDialog>
  );
}
