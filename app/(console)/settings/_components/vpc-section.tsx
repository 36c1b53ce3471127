"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DataTable, type Column } from "@/app/_components/data-table/data-table";
import { Button } from "@/app/_components/ui/button";
import { Card } from "@/app/_components/ui/status";
import { formatDateTime } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { SubnetView } from "@/server/services/network/list-subnets";
import type { VpcView } from "@/server/services/network/list-vpcs";
import { READ_ONLY_HINT, useIsAdministrator } from "./use-settings-access";
import { CreateSubnetDialog, CreateVpcDialog, DeleteSubnetDialog, DeleteVpcDialog } from "./vpc-dialogs";

type VpcAction = { kind: "createVpc" } | { kind: "deleteVpc"; vpc: VpcView } | { kind: "createSubnet"; vpc: VpcView } | { kind: "deleteSubnet"; subnet: SubnetView } | null;

/** VPCs of the region, and the subnets of the selected VPC. */
export function VpcSection() {
  const trpc = useTRPC();
  const isAdmin = useIsAdministrator();
  const vpcs = useQuery(trpc.vpc.list.queryOptions());
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [action, setAction] = useState<VpcAction>(null);
  const selected = vpcs.data?.find((v) => v.id === selectedId) ?? vpcs.data?.[0];
  const subnets = useQuery({ ...trpc.subnet.list.queryOptions({ vpcId: selected?.id ?? "" }), enabled: !!selected });

  const vpcColumns: Column<VpcView>[] = [
    {
      id: "name",
      header: "Name",
      cell: (vpc) => (
        <button className={`text-left hover:underline ${vpc.id === selected?.id ? "font-semibold text-brand" : "text-brand"}`} aria-pressed={vpc.id === selected?.id} onClick={() => setSelectedId(vpc.id)}>
          {vpc.name}
        </button>
      ),
    },
    { id: "cidr", header: "IPv4 CIDR Block", cell: (vpc) => vpc.cidr },
    { id: "subnets", header: "Subnets", cell: (vpc) => vpc.subnetCount },
    { id: "loadBalancers", header: "Load Balancers", cell: (vpc) => vpc.loadBalancerCount },
    { id: "created", header: "Created", cell: (vpc) => formatDateTime(vpc.createdAt) },
    {
      id: "operation",
      header: "Operation",
      cell: (vpc) => (
        <Button variant="link" disabled={!isAdmin} title={isAdmin ? undefined : READ_ONLY_HINT} aria-label={`Delete VPC ${vpc.name}`} onClick={() => setAction({ kind: "deleteVpc", vpc })}>
          Delete
        </Button>
      ),
    },
  ];
  const subnetColumns: Column<SubnetView>[] = [
    { id: "name", header: "Name", cell: (s) => s.name },
    { id: "cidr", header: "IPv4 CIDR Block", cell: (s) => s.cidr },
    { id: "available", header: "Available IP Addresses", cell: (s) => s.availableIpCount },
    { id: "loadBalancers", header: "Load Balancers", cell: (s) => s.loadBalancerCount },
    {
      id: "operation",
      header: "Operation",
      cell: (s) => (
        <Button variant="link" disabled={!isAdmin} title={isAdmin ? undefined : READ_ONLY_HINT} aria-label={`Delete subnet ${s.name}`} onClick={() => setAction({ kind: "deleteSubnet", subnet: s })}>
          Delete
        </Button>
      ),
    },
  ];

  return (
    <div className="space-y-4">
      <Card
        title="VPCs"
        actions={
          <Button disabled={!isAdmin} title={isAdmin ? undefined : READ_ONLY_HINT} onClick={() => setAction({ kind: "createVpc" })}>
            Create VPC
          </Button>
        }
      >
        <DataTable label="VPCs" columns={vpcColumns} rows={vpcs.data} getRowId={(v) => v.id} isLoading={vpcs.isLoading} error={vpcs.error} empty="No VPCs in this region yet. Click Create VPC to add one." />
      </Card>
      {selected && (
        <Card
          title={`Subnets of ${selected.name}`}
          actions={
            <Button variant="secondary" disabled={!isAdmin} title={isAdmin ? undefined : READ_ONLY_HINT} onClick={() => setAction({ kind: "createSubnet", vpc: selected })}>
              Create Subnet
            </Button>
          }
        >
          <DataTable
            label={`Subnets of ${selected.name}`}
            columns={subnetColumns}
            rows={subnets.data}
            getRowId={(s) => s.id}
            isLoading={subnets.isLoading}
            error={subnets.error}
            empty="This VPC has no subnets. Click Create Subnet: load balancers take their private IP from a subnet."
          />
        </Card>
      )}
      {action?.kind === "createVpc" && <CreateVpcDialog onClose={() => setAction(null)} />}
      {action?.kind === "deleteVpc" && <DeleteVpcDialog vpc={action.vpc} onClose={() => setAction(null)} />}
      {action?.kind === "createSubnet" && <CreateSubnetDialog vpc={action.vpc} onClose={() => setAction(null)} />}
      {action?.kind === "deleteSubnet" && <DeleteSubnetDialog subnet={action.subnet} onClose={() => setAction(null)} />}
    </div>
  );
}
