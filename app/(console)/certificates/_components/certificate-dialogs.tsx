"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Field, Input, Segmented, Textarea } from "@/app/_components/ui/field";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { useDialogForm } from "@/app/_components/ui/use-dialog-form";
import { formError, type FieldErrors } from "@/app/_lib/form-errors";
import { useTRPC } from "@/app/_lib/trpc/react";
import { DER_CERTIFICATE_MESSAGE, DER_PRIVATE_KEY_MESSAGE } from "@/server/services/certificate/binary-pem";
import { CERTIFICATE_TYPE_LABELS, type CertificateTypeInput } from "@/server/services/certificate/certificate.schemas";
import type { CertificateView } from "@/server/services/certificate/certificate-view";
import { PemTextField } from "./pem-text-field";
import { useRefreshCertificates } from "./use-refresh-certificates";

/** The fields the form shows errors under; others show above the buttons. */
const FIELDS: readonly string[] = ["name", "type", "content", "privateKey", "domainName", "description"];
const fieldOf = (field: string) => (FIELDS.includes(field) ? field : null);
const CONTENT_PLACEHOLDER = "-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----";
const KEY_PLACEHOLDER = "-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----";
const CONTENT_HINT = "PEM format. For a certificate chain, paste the certificates in order: the server certificate first, then the intermediate, then the root.";
const DOMAIN_HINT = "For SNI: one domain name, the same as in the certificate (exact, or a wildcard such as *.example.com when the certificate has it).";

/** What the Create and Modify dialogs edit. */
interface CertificateDraft {
  name: string;
  type: CertificateTypeInput;
  content: string;
  privateKey: string;
  domainName: string;
  description: string;
}

/** The fields of Create/Modify Certificate (guide 6.3); Private Key and Domain Name for server certificates only. */
function CertificateFields({ draft, onChange, errors, typeFixed, keyHint }: { draft: CertificateDraft; onChange: (draft: CertificateDraft) => void; errors: FieldErrors; typeFixed: boolean; keyHint?: string }) {
  const set = (change: Partial<CertificateDraft>) => onChange({ ...draft, ...change });
  const server = draft.type === "SERVER";
  return (
    <>
      <Field label="Certificate Name" htmlFor="certificate-name" required error={errors.name} hint="1–64 letters, digits, underscores (_), hyphens (-) and periods (.)">
        <Input id="certificate-name" value={draft.name} onChange={(e) => set({ name: e.target.value })} autoFocus />
      </Field>
      <Field label="Certificate Type" required error={errors.type}>
        {typeFixed ? (
          <p className="pt-1.5">{CERTIFICATE_TYPE_LABELS[draft.type]}</p>
        ) : (
          <Segmented<CertificateTypeInput>
            name="Certificate Type"
            value={draft.type}
            options={[
              { value: "SERVER", label: CERTIFICATE_TYPE_LABELS.SERVER },
              { value: "CA", label: CERTIFICATE_TYPE_LABELS.CA },
            ]}
            onChange={(type) => set({ type })}
          />
        )}
      </Field>
      <PemTextField
        id="certificate-content"
        label="Certificate Content"
        required
        value={draft.content}
        onChange={(content) => set({ content })}
        error={errors.content ?? null}
        hint={server ? CONTENT_HINT : "PEM format: the CA certificate(s) that issue the client certificates."}
        placeholder={CONTENT_PLACEHOLDER}
        binaryMessage={DER_CERTIFICATE_MESSAGE}
      />
      {server && (
        <>
          <PemTextField
            id="certificate-private-key"
            label="Private Key"
            required={!keyHint}
            value={draft.privateKey}
            onChange={(privateKey) => set({ privateKey })}
            error={errors.privateKey ?? null}
            hint={keyHint ?? "An unencrypted key in PEM format: -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----, RSA or EC."}
            placeholder={KEY_PLACEHOLDER}
            binaryMessage={DER_PRIVATE_KEY_MESSAGE}
          />
          <Field label="Domain Name" htmlFor="certificate-domain" error={errors.domainName} hint={DOMAIN_HINT}>
            <Input id="certificate-domain" value={draft.domainName} placeholder="www.example.com" onChange={(e) => set({ domainName: e.target.value })} />
          </Field>
        </>
      )}
      <Field label="Description" htmlFor="certificate-description" error={errors.description}>
        <Textarea id="certificate-description" value={draft.description} onChange={(e) => set({ description: e.target.value })} />
      </Field>
    </>
  );
}

/** Create Certificate (guide 6.3). */
export function CreateCertificateDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshCertificates();
  const [draft, setDraft] = useState<CertificateDraft>({ name: "", type: "SERVER", content: "", privateKey: "", domainName: "", description: "" });
  const { errors, formMessage, save, mutationOptions } = useDialogForm({ refresh, onClose, fieldOf });
  const create = useMutation(trpc.certificate.create.mutationOptions(mutationOptions));
  const submit = () => {
    const server = draft.type === "SERVER";
    save(
      {
        name: draft.name,
        type: draft.type,
        content: draft.content,
        description: draft.description,
        ...(server ? { privateKey: draft.privateKey, domainName: draft.domainName } : {}),
      },
      create.mutate,
    );
  };
  return (
    <FormDialog title="Create Certificate" onClose={onClose} onSubmit={submit} pending={create.isPending} message={formMessage}>
      <CertificateFields draft={draft} onChange={setDraft} errors={errors} typeFixed={false} />
    </FormDialog>
  );
}

/**
 * Modify Certificate (guide 6.3): name, content, private key (empty keeps the current one), domain name,
 * description; the type stays. New content reaches the listeners using it for new handshakes.
 */
export function ModifyCertificateDialog({ certificate, onClose }: { certificate: CertificateView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshCertificates();
  const details = useQuery(trpc.certificate.get.queryOptions({ id: certificate.id }));
  const [draft, setDraft] = useState<CertificateDraft | null>(null);
  const initialContent = details.data?.certificatePem ?? "";
  const current: CertificateDraft | null =
    draft ?? (details.data ? { name: certificate.name, type: certificate.type, content: initialContent, privateKey: "", domainName: certificate.domainName ?? "", description: certificate.description } : null);
  const { errors, formMessage, save, mutationOptions } = useDialogForm({ refresh, onClose, fieldOf });
  const update = useMutation(trpc.certificate.update.mutationOptions(mutationOptions));
  const submit = () => {
    if (!current) return;
    const server = current.type === "SERVER";
    save(
      {
        id: certificate.id,
        name: current.name,
        description: current.description,
        ...(current.content.trim() !== initialContent.trim() ? { content: current.content } : {}),
        ...(server && current.privateKey.trim() !== "" ? { privateKey: current.privateKey } : {}),
        ...(server ? { domainName: current.domainName } : {}),
      },
      update.mutate,
    );
  };
  const usedBy = certificate.listeners.length;
  return (
    <FormDialog title="Modify Certificate" onClose={onClose} onSubmit={submit} pending={update.isPending || !current} message={formMessage ?? formError(details.error, [])}>
      {!current ? (
        <p className="py-6 text-center text-slate-500">{details.error ? "" : "Loading…"}</p>
      ) : (
        <>
          {usedBy > 0 && (
            <p className="mb-2 rounded bg-slate-50 px-3 py-2 text-xs text-slate-600 ring-1 ring-slate-200">
              Used by {usedBy} listener{usedBy === 1 ? "" : "s"}: new content applies to new connections; open connections keep theirs.
            </p>
          )}
          <CertificateFields draft={current} onChange={setDraft} errors={errors} typeFixed keyHint="Leave empty to keep the current private key (it must match the certificate content)." />
        </>
      )}
    </FormDialog>
  );
}
