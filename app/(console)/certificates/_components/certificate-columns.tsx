"use client";
import Link from "next/link";
import type { Column } from "@/app/_components/data-table/data-table";
import { operationColumn } from "@/app/_components/data-table/operation-column";
import { formatDateTime } from "@/app/_lib/format";
import { CERTIFICATE_TYPE_LABELS } from "@/server/services/certificate/certificate.schemas";
import type { CertificateView } from "@/server/services/certificate/certificate-view";
import type { CertificateUsage } from "@/server/services/certificate/certificate-usage";
import { ExpiryBadge } from "./expiry-badge";

/** What the list can ask for from a row's Operation column. */
export type CertificateAction = { kind: "create" } | { kind: "modify"; certificate: CertificateView } | { kind: "delete"; certificate: CertificateView } | null;

const USAGE_LABELS: Record<CertificateUsage, string> = { server: "Server Certificate", ca: "CA Certificate", sni: "SNI" };

/** The Certificates list's columns (guide 6.3), with Modify and Delete in the Operation column. */
export function certificateColumns(onAction: (action: CertificateAction) => void): Column<CertificateView>[] {
  return [
    { id: "name", header: "Name", cell: (c) => <span className="font-medium break-words" title={c.description || undefined}>{c.name}</span> },
    { id: "type", header: "Type", cell: (c) => CERTIFICATE_TYPE_LABELS[c.type] },
    { id: "domainName", header: "Domain Name", cell: (c) => c.domainName ?? "—" },
    { id: "subject", header: "Subject", cell: (c) => <span className="break-words">{c.subject}</span> },
    { id: "issuer", header: "Issuer", cell: (c) => <span className="break-words">{c.issuer}</span> },
    {
      id: "sans",
      header: "SANs",
      cell: (c) =>
        c.subjectAltNames.length > 0 ? (
          <ul>
            {c.subjectAltNames.map((name) => (
              <li key={name} className="break-words">
                {name}
              </li>
            ))}
          </ul>
        ) : (
          "—"
        ),
    },
    {
      id: "notAfter",
      header: "Expiration Time",
      cell: (c) => (
        <>
          <span className="whitespace-nowrap">{formatDateTime(c.notAfter)}</span>
          <ExpiryBadge certificate={c} />
        </>
      ),
    },
    {
      id: "listeners",
      header: "Listeners",
      cell: (c) =>
        c.listeners.length === 0 ? (
          "—"
        ) : (
          <ul>
            {c.listeners.map((l) => (
              <li key={`${l.id}-${l.usage}`}>
                <Link href={`/load-balancers/${l.loadBalancerId}/listeners/${l.id}`} className="text-brand hover:underline">
                  {l.name}
                </Link>{" "}
                <span className="text-xs text-slate-500">
                  ({l.loadBalancerName}, {USAGE_LABELS[l.usage]})
                </span>
              </li>
            ))}
          </ul>
        ),
    },
    operationColumn({
      onModify: (certificate) => onAction({ kind: "modify", certificate }),
      onDelete: (certificate) => onAction({ kind: "delete", certificate }),
      nameOf: (certificate) => `certificate ${certificate.name}`,
    }),
  ];
}
