"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { DataTable, type Column } from "@/app/_components/data-table/data-table";
import { Toolbar } from "@/app/_components/data-table/toolbar";
import { operationColumn } from "@/app/_components/data-table/operation-column";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { ListenerView } from "@/server/services/listener/listener-view";
import { urlMatchRuleLabel, type ForwardingPolicyRow } from "./forwarding-policy-draft";
import { ForwardingPolicyDialog } from "./forwarding-policy-dialog";
import { DeleteForwardingPolicyDialog } from "./delete-forwarding-policy-dialog";

type PolicyAction = { kind: "add" } | { kind: "modify" | "delete"; policy: ForwardingPolicyRow } | null;

/** Most forwarding policies a listener can have (guide 3.8.1). */
const MAX_POLICIES = 500;

/** The Forwarding Policies tab of an HTTP/HTTPS listener (guide 3.8.1): the list, Add, Modify and Delete. */
export function ForwardingPoliciesTab({ listener }: { listener: ListenerView }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.forwardingPolicy.list.queryOptions({ listenerId: listener.id }));
  const [action, setAction] = useState<PolicyAction>(null);
  const full = (query.data?.length ?? 0) >= MAX_POLICIES;
  const columns: Column<ForwardingPolicyRow>[] = [
    { id: "name", header: "Name", cell: (p) => <span className="font-medium">{p.name}</span> },
    { id: "domain", header: "Domain Name", cell: (p) => p.domainName ?? "—" },
    { id: "url", header: "URL", cell: (p) => (p.url ? <span className="font-mono">{p.url}</span> : "—") },
    { id: "rule", header: "URL Matching Rule", cell: (p) => (p.url ? urlMatchRuleLabel(p.urlMatchRule) : "—") },
    {
      id: "pool",
      header: "Backend Server Group",
      cell: (p) => (
        <Link href={`/load-balancers/${listener.loadBalancerId}?tab=backend-server-groups&pool=${p.pool.id}`} className="text-brand hover:underline">
          {p.pool.name}
        </Link>
      ),
    },
    { id: "description", header: "Description", cell: (p) => p.description || "—", className: "max-w-48 truncate" },
    operationColumn({ onModify: (policy) => setAction({ kind: "modify", policy }), onDelete: (policy) => setAction({ kind: "delete", policy }) }),
  ];
  return (
    <>
      <Toolbar
        left={
          <span className="flex items-center gap-3">
            <Button disabled={query.isLoading || full} onClick={() => setAction({ kind: "add" })}>
              Add
            </Button>
            <span className="text-xs text-slate-500">
              {full ? `A listener has at most ${MAX_POLICIES} forwarding policies.` : "Requests that match no forwarding policy go to the listener's backend server group."}
            </span>
          </span>
        }
      />
      <DataTable
        label="Forwarding Policies"
        columns={columns}
        rows={query.data}
        getRowId={(p) => p.id}
        isLoading={query.isLoading}
        error={query.error}
        empty="No forwarding policies. Click Add to forward requests by domain name or URL to another backend server group."
      />
      {action?.kind === "add" && <ForwardingPolicyDialog listener={listener} onClose={() => setAction(null)} />}
      {action?.kind === "modify" && <ForwardingPolicyDialog listener={listener} policy={action.policy} onClose={() => setAction(null)} />}
      {action?.kind === "delete" && <DeleteForwardingPolicyDialog policy={action.policy} onClose={() => setAction(null)} />}
    </>
  );
}
