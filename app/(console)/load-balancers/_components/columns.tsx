"use client";
import Link from "next/link";
import type { Column } from "@/app/_components/data-table/data-table";
import { Badge, StatusDot } from "@/app/_components/ui/status";
import { formatDateTime } from "@/app/_lib/format";
import type { LoadBalancerView } from "@/server/services/load-balancer/load-balancer-view";
import type { LoadBalancerAction } from "./load-balancer-dialogs";
import { OperationsMenu } from "./operations-menu";

/** Columns of the Load Balancers list (the export writes the same fields). */
export function loadBalancerColumns(onAction: (action: LoadBalancerAction) => void): Column<LoadBalancerView>[] {
  return [
    {
      id: "name",
      header: "Name/ID",
      sortable: true,
      cell: (lb) => (
        <div>
          <Link href={`/load-balancers/${lb.id}`} className="font-medium text-brand hover:underline">
            {lb.name}
          </Link>
          <div className="font-mono text-xs text-slate-400">{lb.id}</div>
        </div>
      ),
    },
    { id: "status", header: "Status", sortable: true, cell: (lb) => <StatusDot tone={lb.status === "running" ? "green" : "gray"}>{lb.status === "running" ? "Running" : "Stopped"}</StatusDot> },
    { id: "networkType", header: "Network Type", cell: (lb) => (lb.networkType === "public" ? "Public network" : "Private network") },
    { id: "privateIp", header: "Private IP Address", sortable: true, cell: (lb) => <span className="font-mono">{lb.privateIp}</span> },
    { id: "eip", header: "EIP", cell: (lb) => (lb.eip ? <span className="font-mono">{lb.eip.address}</span> : "—") },
    { id: "bandwidth", header: "Bandwidth", cell: (lb) => (lb.eip ? `${lb.eip.bandwidthMbit} Mbit/s` : "—") },
    { id: "listeners", header: "Listeners", cell: (lb) => lb.listenerCount },
    { id: "tags", header: "Tags", cell: (lb) => (lb.tags.length ? lb.tags.map((t) => <Badge key={t.key}>{t.value ? `${t.key}=${t.value}` : t.key}</Badge>) : "—") },
    { id: "createdAt", header: "Created", sortable: true, cell: (lb) => formatDateTime(lb.createdAt) },
    { id: "operation", header: "Operation", cell: (lb) => <OperationsMenu lb={lb} onAction={onAction} /> },
  ];
}
