"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DataTable, type Column } from "@/app/_components/data-table/data-table";
import { Button } from "@/app/_components/ui/button";
import { Select } from "@/app/_components/ui/field";
import { Card } from "@/app/_components/ui/status";
import { formatDateTime } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { ServerView } from "@/server/services/server/server-view";
import { CreateServerDialog, DeleteServerDialog, type SubnetChoice } from "./server-dialogs";
import { READ_ONLY_HINT, useIsAdministrator } from "./use-settings-access";

type ServerAction = { kind: "create" } | { kind: "delete"; server: ServerView } | null;

/** The server inventory of the region by subnet: what Add Backend Servers offers to pick from. */
export function ServerSection() {
  const trpc = useTRPC();
  const isAdmin = useIsAdministrator();
  const options = useQuery(trpc.loadBalancer.networkOptions.queryOptions());
  const [subnetId, setSubnetId] = useState("");
  const [action, setAction] = useState<ServerAction>(null);
  const servers = useQuery(trpc.server.list.queryOptions(subnetId ? { subnetId } : {}));
  const subnets: SubnetChoice[] = options.data?.vpcs.flatMap((v) => v.subnets.map((s) => ({ ...s, vpcName: v.name }))) ?? [];
  const adminOnly = { disabled: !isAdmin, title: isAdmin ? undefined : READ_ONLY_HINT };

  const columns: Column<ServerView>[] = [
    { id: "name", header: "Name", cell: (s) => s.name },
    { id: "address", header: "IP Address", cell: (s) => <span className="font-mono">{s.address}</span> },
    { id: "subnet", header: "Subnet", cell: (s) => `${s.subnet.name} (${s.subnet.cidr})` },
    { id: "vpc", header: "VPC", cell: (s) => s.vpc.name },
    { id: "members", header: "Backend Servers", cell: (s) => s.memberCount },
    { id: "created", header: "Created", cell: (s) => formatDateTime(s.createdAt) },
    {
      id: "operation",
      header: "Operation",
      cell: (s) => (
        <Button variant="link" {...adminOnly} aria-label={`Delete server ${s.name}`} onClick={() => setAction({ kind: "delete", server: s })}>
          Delete
        </Button>
      ),
    },
  ];

  return (
    <div role="region" aria-label="Servers">
      <Card
        title="Servers"
        actions={
          <Button {...adminOnly} disabled={adminOnly.disabled || subnets.length === 0} onClick={() => setAction({ kind: "create" })}>
            Add Server
          </Button>
        }
      >
        <p className="mb-2 text-xs text-slate-500">
          Servers by subnet. Add Backend Servers offers them (select the subnet, tick the servers); a backend server keeps its address when its server is deleted here.
        </p>
        <div className="mb-2 flex items-center gap-2">
          <label htmlFor="servers-subnet" className="text-slate-600">
            Subnet
          </label>
          <Select id="servers-subnet" className="max-w-xs" value={subnetId} onChange={(e) => setSubnetId(e.target.value)}>
            <option value="">All subnets</option>
            {subnets.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.cidr})
              </option>
            ))}
          </Select>
        </div>
        <DataTable
          label="Servers"
          columns={columns}
          rows={servers.data}
          getRowId={(s) => s.id}
          isLoading={servers.isLoading}
          error={servers.error}
          empty={subnetId ? "This subnet has no servers. Click Add Server to add one." : "No servers in this region yet. Click Add Server to add the servers of a subnet."}
        />
      </Card>
      {action?.kind === "create" && <CreateServerDialog subnets={subnets} initialSubnetId={subnetId || undefined} onClose={() => setAction(null)} />}
      {action?.kind === "delete" && <DeleteServerDialog server={action.server} onClose={() => setAction(null)} />}
    </div>
  );
}
