"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { Field, Input, Textarea } from "@/app/_components/ui/field";
import { useTRPC } from "@/app/_lib/trpc/react";
import { useDialogForm } from "@/app/_components/ui/use-dialog-form";
import { randomNameSuffix } from "@/server/services/field-schemas";
import type { ListenerView } from "@/server/services/listener/listener-view";
import { RedirectTargetSelect } from "./redirect-target-select";
import { useRefreshListeners } from "./use-refresh-listeners";

/** A redirect as the Redirects tab lists it. */
export interface RedirectRow {
  id: string;
  name: string;
  description: string;
  targetListener: { id: string; name: string; port: number };
}

/** The fields the form shows errors under; others show above the buttons. */
const FIELDS = ["name", "targetListenerId", "description"];

/** Create Redirect / Modify Redirect (guide 3.8.4, table 3-9): Name, Redirected To, Description. */
export function RedirectDialog({ listener, redirect, onClose }: { listener: ListenerView; redirect?: RedirectRow; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshListeners();
  const [name, setName] = useState(redirect?.name ?? `redirect-${randomNameSuffix()}`);
  const [targetListenerId, setTargetListenerId] = useState(redirect?.targetListener.id ?? "");
  const [description, setDescription] = useState(redirect?.description ?? "");
  const { errors, formMessage, save, mutationOptions } = useDialogForm({ refresh, onClose, fieldOf: (field) => (FIELDS.includes(field) ? field : null) });
  const create = useMutation(trpc.redirect.create.mutationOptions(mutationOptions));
  const update = useMutation(trpc.redirect.update.mutationOptions(mutationOptions));
  const submit = () =>
    redirect ? save({ id: redirect.id, name, targetListenerId, description }, update.mutate) : save({ listenerId: listener.id, name, targetListenerId, description }, create.mutate);
  return (
    <FormDialog title={redirect ? "Modify Redirect" : "Create Redirect"} onClose={onClose} onSubmit={submit} pending={create.isPending || update.isPending} message={formMessage}>
      <p className="mb-2 text-xs text-slate-500">Once this HTTP listener is redirected, its configuration becomes invalid except for access control, and clients get 301 Moved Permanently.</p>
      <Field label="Name" htmlFor="redirect-name" required error={errors.name}>
        <Input id="redirect-name" aria-label="Name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
      </Field>
      <Field label="Redirected To" htmlFor="redirect-target" required error={errors.targetListenerId} hint="An HTTPS listener of this load balancer.">
        <RedirectTargetSelect id="redirect-target" loadBalancerId={listener.loadBalancerId} value={targetListenerId} onChange={setTargetListenerId} />
      </Field>
      <Field label="Description" htmlFor="redirect-description" error={errors.description}>
        <Textarea id="redirect-description" aria-label="Description" value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
    </FormDialog>
  );
}
