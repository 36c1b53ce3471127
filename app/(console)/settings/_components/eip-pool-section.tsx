"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { DataTable, type Column } from "@/app/_components/data-table/data-table";
import { Toolbar } from "@/app/_components/data-table/toolbar";
import { Button } from "@/app/_components/ui/button";
import { Card } from "@/app/_components/ui/status";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { EipView } from "@/server/services/eip/eip-view";
import type { EipPoolView } from "@/server/services/network/list-eip-pools";
import { AllocateEipDialog, CreateEipPoolDialog, DeleteEipPoolDialog, ReleaseEipDialog } from "./eip-dialogs";
import { READ_ONLY_HINT, useIsAdministrator } from "./use-settings-access";

type EipAction = { kind: "createPool" } | { kind: "deletePool"; pool: EipPoolView } | { kind: "allocate"; pool: EipPoolView } | { kind: "release"; eip: EipView } | null;
const PAGE_SIZE = 10;

/** EIP pools of the region, and the EIPs of the selected pool (Allocate EIP, Release). */
export function EipPoolSection() {
  const trpc = useTRPC();
  const isAdmin = useIsAdministrator();
  const pools = useQuery(trpc.eipPool.list.queryOptions());
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [action, setAction] = useState<EipAction>(null);
  const [address, setAddress] = useState("");
  const [page, setPage] = useState(1);
  const selected = pools.data?.find((p) => p.id === selectedId) ?? pools.data?.[0];
  const eips = useQuery({
    ...trpc.eip.list.queryOptions({ poolId: selected?.id, address: address || undefined, page, pageSize: PAGE_SIZE }),
    enabled: !!selected,
    placeholderData: keepPreviousData,
  });
  const adminOnly = { disabled: !isAdmin, title: isAdmin ? undefined : READ_ONLY_HINT };

  const poolColumns: Column<EipPoolView>[] = [
    {
      id: "name",
      header: "Name",
      cell: (pool) => (
        <button
          className={`text-left hover:underline ${pool.id === selected?.id ? "font-semibold text-brand" : "text-brand"}`}
          aria-pressed={pool.id === selected?.id}
          onClick={() => {
            setSelectedId(pool.id);
            setPage(1);
          }}
        >
          {pool.name}
        </button>
      ),
    },
    { id: "cidr", header: "IPv4 CIDR Block", cell: (pool) => pool.cidr },
    { id: "eips", header: "EIPs (bound)", cell: (pool) => `${pool.eipCount} (${pool.boundCount})` },
    { id: "available", header: "Available Addresses", cell: (pool) => pool.availableCount },
    {
      id: "operation",
      header: "Operation",
      cell: (pool) => (
        <Button variant="link" {...adminOnly} aria-label={`Delete EIP pool ${pool.name}`} onClick={() => setAction({ kind: "deletePool", pool })}>
          Delete
        </Button>
      ),
    },
  ];
  const eipColumns: Column<EipView>[] = [
    { id: "address", header: "EIP", cell: (eip) => eip.address },
    { id: "type", header: "EIP Type", cell: () => "Dynamic BGP" },
    { id: "bandwidth", header: "Bandwidth", cell: (eip) => `${eip.bandwidthMbit} Mbit/s` },
    {
      id: "boundTo",
      header: "Bound Load Balancer",
      cell: (eip) =>
        eip.loadBalancer ? (
          <Link className="text-brand hover:underline" href={`/load-balancers/${eip.loadBalancer.id}`}>
            {eip.loadBalancer.name}
          </Link>
        ) : (
          <span className="text-slate-500">Unbound</span>
        ),
    },
    { id: "project", header: "Enterprise Project", cell: (eip) => eip.projectName },
    {
      id: "operation",
      header: "Operation",
      cell: (eip) => (
        <Button
          variant="link"
          disabled={!isAdmin || !!eip.loadBalancer}
          title={!isAdmin ? READ_ONLY_HINT : eip.loadBalancer ? `Bound to ${eip.loadBalancer.name}: unbind it first` : undefined}
          aria-label={`Release EIP ${eip.address}`}
          onClick={() => setAction({ kind: "release", eip })}
        >
          Release
        </Button>
      ),
    },
  ];

  return (
    <div className="space-y-4">
      <Card
        title="EIP Pools"
        actions={
          <Button {...adminOnly} onClick={() => setAction({ kind: "createPool" })}>
            Create EIP Pool
          </Button>
        }
      >
        <DataTable label="EIP pools" columns={poolColumns} rows={pools.data} getRowId={(p) => p.id} isLoading={pools.isLoading} error={pools.error} empty="No EIP pools in this region yet. Click Create EIP Pool to add one." />
      </Card>
      {selected && (
        <Card title={`EIPs of ${selected.name}`}>
          <Toolbar<"address">
            left={
              <Button variant="secondary" {...adminOnly} onClick={() => setAction({ kind: "allocate", pool: selected })}>
                Allocate EIP
              </Button>
            }
            filterKeys={[{ value: "address", label: "EIP" }]}
            onSearch={(_key, text) => {
              setAddress(text);
              setPage(1);
            }}
          />
          <DataTable
            label={`EIPs of ${selected.name}`}
            columns={eipColumns}
            rows={eips.data?.items}
            getRowId={(e) => e.id}
            isLoading={eips.isLoading}
            error={eips.error}
            empty={address ? "No EIP matches the filter." : "No EIPs allocated from this pool. Click Allocate EIP, or create a public load balancer with a new EIP."}
            pagination={{ page, pageSize: PAGE_SIZE, total: eips.data?.total ?? 0, onPageChange: setPage }}
          />
        </Card>
      )}
      {action?.kind === "createPool" && <CreateEipPoolDialog onClose={() => setAction(null)} />}
      {action?.kind === "deletePool" && <DeleteEipPoolDialog pool={action.pool} onClose={() => setAction(null)} />}
      {action?.kind === "allocate" && <AllocateEipDialog pool={action.pool} onClose={() => setAction(null)} />}
      {action?.kind === "release" && <ReleaseEipDialog eip={action.eip} onClose={() => setAction(null)} />}
    </div>
  );
}
