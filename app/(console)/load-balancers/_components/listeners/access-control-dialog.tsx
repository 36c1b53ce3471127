"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { Field, Segmented, Textarea } from "@/app/_components/ui/field";
import { useTRPC } from "@/app/_lib/trpc/react";
import { useDialogForm } from "@/app/_components/ui/use-dialog-form";
import { updateAccessControlSchema, type UpdateAccessControlInput } from "@/server/services/listener/listener.schemas";
import type { ListenerView } from "@/server/services/listener/listener-view";
import { whitelistText } from "./describe-listener";
import { useRefreshListeners } from "./use-refresh-listeners";

/** The guide's NOTICE of section 3.6, word for word where it applies. */
export function AccessControlNotice() {
  return (
    <div role="note" aria-label="Notice" className="mb-3 rounded bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-200">
      <p className="font-semibold">NOTICE</p>
      <ul className="ml-4 list-disc">
        <li>Adding whitelists may cause service risks. Once a whitelist is added, only IP addresses in the whitelist can access the listener.</li>
        <li>If access control is enabled but no whitelist is added, the listener cannot be accessed.</li>
      </ul>
    </div>
  );
}

/** Configure beside Access Control (guide 3.6, table 3-6): Enabled/Disabled and the Whitelist, then OK. */
export function AccessControlDialog({ listener, onClose }: { listener: ListenerView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshListeners();
  const [enabled, setEnabled] = useState(listener.accessControl.enabled);
  const [whitelist, setWhitelist] = useState(() => whitelistText(listener.accessControl.whitelist));
  const { errors, formMessage, save, mutationOptions } = useDialogForm({
    refresh,
    onClose,
    fieldOf: (field) => (field.startsWith("whitelist") ? "whitelist" : field === "enabled" ? field : null),
  });
  const mutation = useMutation(trpc.listener.updateAccessControl.mutationOptions(mutationOptions));
  /** Checks with the server's schema first (its whitelist parser names the bad entry), then saves. */
  const submit = () => save<UpdateAccessControlInput>({ id: listener.id, enabled, whitelist }, mutation.mutate, updateAccessControlSchema);
  return (
    <FormDialog title="Configure Access Control" onClose={onClose} onSubmit={submit} pending={mutation.isPending} message={formMessage}>
      <AccessControlNotice />
      <Field label="Access Control" error={errors.enabled}>
        <Segmented
          name="Access Control"
          value={enabled ? "enabled" : "disabled"}
          onChange={(value) => setEnabled(value === "enabled")}
          options={[
            { value: "enabled", label: "Enabled" },
            { value: "disabled", label: "Disabled" },
          ]}
        />
        <p className="mt-1 text-xs text-slate-500">
          {enabled
            ? whitelist.trim() === ""
              ? "No whitelist is set: no IP address can access the listener."
              : "Only IP addresses in the whitelist can access the listener."
            : "The listener can be accessed from any IP address."}
        </p>
      </Field>
      <Field
        label="Whitelist"
        htmlFor="access-control-whitelist"
        error={errors.whitelist}
        hint="Up to 300 IPv4 addresses or CIDR blocks, separated by commas (,), e.g. 10.168.2.24,10.168.16.0/24. IPv6 is not supported."
      >
        <Textarea
          id="access-control-whitelist"
          aria-label="Whitelist"
          rows={4}
          value={whitelist}
          disabled={!enabled}
          placeholder="10.168.2.24,10.168.16.0/24"
          onChange={(e) => setWhitelist(e.target.value)}
        />
      </Field>
    </FormDialog>
  );
}
