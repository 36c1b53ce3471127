"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Field, Select } from "@/app/_components/ui/field";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { FieldErrors } from "@/app/_lib/form-errors";
import { Switch } from "../backend-server-groups/switch";
import type { HttpsDraft } from "./https-draft";

/** A certificate select of one type (server or CA) from the Certificates list. */
function CertificateSelect({ id, label, type, value, onChange }: { id: string; label: string; type: "SERVER" | "CA"; value: string; onChange: (id: string) => void }) {
  const trpc = useTRPC();
  const certificates = useQuery(trpc.certificate.list.queryOptions({ type }));
  if (certificates.isLoading) return <p className="pt-1.5">Loading…</p>;
  const choices = certificates.data?.filter((c) => c.type === type) ?? [];
  if (choices.length === 0)
    return (
      <p className="pt-1.5 text-slate-500">
        No {type === "SERVER" ? "server" : "CA"} certificate yet. Create one under{" "}
        <Link href="/certificates" className="text-brand hover:underline">
          Certificates
        </Link>
        .
      </p>
    );
  return (
    <Select id={id} aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">Select a {type === "SERVER" ? "server" : "CA"} certificate</option>
      {choices.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
          {c.domainName ? ` (${c.domainName})` : ""}
        </option>
      ))}
    </Select>
  );
}

/**
 * The HTTPS fields of Add/Modify Listener (table 3-3, guide 3.8.2, 3.8.3): Server Certificate (required),
 * and under Advanced Settings (collapsed until opened) HTTP/2 and Mutual Authentication with its CA Certificate.
 */
export function HttpsFields({ draft, onChange, errors }: { draft: HttpsDraft; onChange: (draft: HttpsDraft) => void; errors: FieldErrors }) {
  const [advanced, setAdvanced] = useState(draft.http2Enabled || draft.mutualAuthentication || !!errors.caCertificateId);
  const set = (change: Partial<HttpsDraft>) => onChange({ ...draft, ...change });
  const open = advanced || !!errors.caCertificateId || !!errors.http2Enabled;
  return (
    <>
      <Field label="Server Certificate" htmlFor="listener-server-certificate" required error={errors.serverCertificateId} hint="The certificate the load balancer presents to clients.">
        <CertificateSelect id="listener-server-certificate" label="Server Certificate" type="SERVER" value={draft.serverCertificateId} onChange={(serverCertificateId) => set({ serverCertificateId })} />
      </Field>
      <div className="py-2">
        <button type="button" aria-expanded={open} onClick={() => setAdvanced(!open)} className="font-medium text-brand hover:underline">
          <span aria-hidden>{open ? "▾" : "▸"}</span> Advanced Settings
        </button>
      </div>
      {open && (
        <>
          <Field label="HTTP/2" htmlFor="listener-http2" error={errors.http2Enabled} hint="Clients that support HTTP/2 use it (ALPN); others keep HTTP/1.1.">
            <Switch id="listener-http2" label="HTTP/2" checked={draft.http2Enabled} onChange={(http2Enabled) => set({ http2Enabled })} />
          </Field>
          <Field label="Mutual Authentication" htmlFor="listener-mutual-authentication" hint="Clients must present a certificate signed by the CA certificate.">
            <Switch id="listener-mutual-authentication" label="Mutual Authentication" checked={draft.mutualAuthentication} onChange={(mutualAuthentication) => set({ mutualAuthentication })} />
          </Field>
          {draft.mutualAuthentication && (
            <Field label="CA Certificate" htmlFor="listener-ca-certificate" required error={errors.caCertificateId}>
              <CertificateSelect id="listener-ca-certificate" label="CA Certificate" type="CA" value={draft.caCertificateId} onChange={(caCertificateId) => set({ caCertificateId })} />
            </Field>
          )}
        </>
      )}
    </>
  );
}
