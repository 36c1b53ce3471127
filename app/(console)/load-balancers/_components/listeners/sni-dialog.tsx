"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { Field } from "@/app/_components/ui/field";
import { useTRPC } from "@/app/_lib/trpc/react";
import { useDialogForm } from "@/app/_components/ui/use-dialog-form";
import type { ListenerView } from "@/server/services/listener/listener-view";
import { Switch } from "../backend-server-groups/switch";
import { useRefreshListeners } from "./use-refresh-listeners";

/**
 * Configure beside SNI (guide 3.8.5): enable SNI and select the SNI certificates — server certificates
 * that have a domain name, each shown with its domain. The engine serves the one whose domain matches the
 * client's server name, else the listener's Server Certificate.
 */
export function SniDialog({ listener, onClose }: { listener: ListenerView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshListeners();
  const certificates = useQuery(trpc.certificate.list.queryOptions({ type: "SERVER" }));
  const [enabled, setEnabled] = useState(listener.sni.enabled);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set(listener.sni.certificates.map((c) => c.id)));
  const { errors, formMessage, save, mutationOptions } = useDialogForm({ refresh, onClose, fieldOf: (field) => (field.startsWith("certificateIds") ? "certificateIds" : null) });
  const mutation = useMutation(trpc.listener.updateSni.mutationOptions(mutationOptions));
  const withDomain = certificates.data?.filter((c) => c.domainName) ?? [];
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const submit = () => save({ id: listener.id, enabled, certificateIds: [...selected] }, mutation.mutate);
  return (
    <FormDialog title="Configure SNI" onClose={onClose} onSubmit={submit} pending={mutation.isPending} message={formMessage}>
      <Field label="SNI" htmlFor="sni-enabled">
        <Switch id="sni-enabled" label="SNI" checked={enabled} onChange={setEnabled} />
      </Field>
      {enabled && (
        <Field label="SNI Certificate" required error={errors.certificateIds} hint="Server certificates with a domain name. Only one domain name can be specified for each certificate.">
          {certificates.isLoading ? (
            <p className="pt-1.5">Loading…</p>
          ) : withDomain.length === 0 ? (
            <p className="pt-1.5 text-slate-500">
              No server certificate has a domain name. Create one with a Domain Name under{" "}
              <Link href="/certificates" className="text-brand hover:underline">
                Certificates
              </Link>
              .
            </p>
          ) : (
            <ul aria-label="SNI Certificates" className="space-y-1 pt-1.5">
              {withDomain.map((c) => (
                <li key={c.id}>
                  <label className="inline-flex cursor-pointer items-center gap-2">
                    <input type="checkbox" aria-label={`${c.name} (${c.domainName})`} checked={selected.has(c.id)} onChange={() => toggle(c.id)} />
                    <span>{c.name}</span>
                    <span className="font-mono text-xs text-slate-500">{c.domainName}</span>
                  </label>
                </li>
              ))}
            </ul>
          )}
        </Field>
      )}
    </FormDialog>
  );
}
