"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DataTable } from "@/app/_components/data-table/data-table";
import { Toolbar } from "@/app/_components/data-table/toolbar";
import { Button } from "@/app/_components/ui/button";
import { Select } from "@/app/_components/ui/field";
import { PageHeader } from "@/app/_components/ui/status";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { CertificateTypeInput } from "@/server/services/certificate/certificate.schemas";
import { certificateColumns, type CertificateAction } from "./certificate-columns";
import { CreateCertificateDialog, ModifyCertificateDialog } from "./certificate-dialogs";
import { DeleteCertificateDialog } from "./delete-certificate-dialog";

/** The Certificates page (guide 6.3): Create Certificate, the list with expiry warnings, Modify and Delete. */
export function CertificateList() {
  const trpc = useTRPC();
  const [type, setType] = useState<CertificateTypeInput | "">("");
  const [action, setAction] = useState<CertificateAction>(null);
  const list = useQuery(trpc.certificate.list.queryOptions(type ? { type } : {}));
  return (
    <>
      <PageHeader title="Certificates" />
      <Toolbar
        left={
          <>
            <Button className="whitespace-nowrap" onClick={() => setAction({ kind: "create" })}>
              Create Certificate
            </Button>
            <label htmlFor="certificate-type-filter" className="ml-2 whitespace-nowrap text-slate-600">
              Certificate Type
            </label>
            <Select id="certificate-type-filter" className="w-48" value={type} onChange={(e) => setType(e.target.value as CertificateTypeInput | "")}>
              <option value="">All types</option>
              <option value="SERVER">Server certificate</option>
              <option value="CA">CA certificate</option>
            </Select>
          </>
        }
      />
      <DataTable
        label="Certificates"
        columns={certificateColumns(setAction)}
        rows={list.data}
        getRowId={(c) => c.id}
        isLoading={list.isLoading}
        error={list.error}
        empty={type ? "No certificate of this type. Click Create Certificate to add one." : "No certificates yet. Click Create Certificate to add a server certificate (for HTTPS listeners) or a CA certificate (for mutual authentication)."}
      />
      {action?.kind === "create" && <CreateCertificateDialog onClose={() => setAction(null)} />}
      {action?.kind === "modify" && <ModifyCertificateDialog certificate={action.certificate} onClose={() => setAction(null)} />}
      {action?.kind === "delete" && <DeleteCertificateDialog certificate={action.certificate} onClose={() => setAction(null)} />}
    </>
  );
}
