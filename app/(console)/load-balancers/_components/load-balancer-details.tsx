"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState, type ReactNode } from "react";
import { Button } from "@/app/_components/ui/button";
import { Tabs } from "@/app/_components/ui/tabs";
import { Card, StatusDot } from "@/app/_components/ui/status";
import { errorMessage, formatDateTime } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { LoadBalancerView } from "@/server/services/load-balancer/load-balancer-view";
import { LoadBalancerDialogs, type LoadBalancerAction } from "./load-balancer-dialogs";
import { TagsTab } from "./tags-tab";
import { detailTabs, type DetailTab } from "./detail-tabs";

/** The details page: Basic Information (Bind/Unbind beside EIP, Modify beside Bandwidth) and the resource tabs. */
export function LoadBalancerDetails({ id }: { id: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const tab = (searchParams.get("tab") as DetailTab | null) ?? "listeners";
  const [action, setAction] = useState<LoadBalancerAction>(null);
  const query = useQuery(trpc.loadBalancer.get.queryOptions({ id }));
  if (query.isLoading) return <p>Loading…</p>;
  if (query.error || !query.data) return <p role="alert">Could not load the load balancer: {errorMessage(query.error)}</p>;
  const lb = query.data;
  const TabContent = detailTabs.find((t) => t.value === tab)?.render;
  return (
    <>
      <div className="mb-4 flex items-center justify-between">
        <h1 className="text-xl font-semibold">
          <Link href="/load-balancers" className="text-slate-400 hover:text-brand">
            Load Balancers
          </Link>{" "}
          / {lb.name}
        </h1>
        <Button variant="secondary" onClick={() => setAction({ kind: "delete", lb })}>
          Delete
        </Button>
      </div>
      <Card title="Basic Information">
        <BasicInformation lb={lb} onAction={setAction} />
      </Card>
      <div className="mt-4">
        <Tabs tabs={detailTabs} value={tab} onChange={(next) => router.replace(`${pathname}?tab=${next}`)} />
        {tab === "tags" ? <TagsTab key={lb.updatedAt.toString()} lb={lb} /> : TabContent ? <TabContent lb={lb} /> : null}
      </div>
      <LoadBalancerDialogs action={action} onClose={() => setAction(null)} onDeleted={() => router.push("/load-balancers")} />
    </>
  );
}

function BasicInformation({ lb, onAction }: { lb: LoadBalancerView; onAction: (action: LoadBalancerAction) => void }) {
  const rows: [string, ReactNode][] = [
    ["Name", lb.name],
    ["ID", <span key="id" className="font-mono">{lb.id}</span>],
    ["Status", <StatusDot key="s" tone={lb.status === "running" ? "green" : "gray"}>{lb.status === "running" ? "Running" : "Stopped"}</StatusDot>],
    ["Network Type", lb.networkType === "public" ? "Public network" : "Private network"],
    ["VPC", lb.vpcName],
    ["Subnet", lb.subnetName],
    ["Private IP Address", <span key="ip" className="font-mono">{lb.privateIp}</span>],
    [
      "EIP",
      <span key="eip" className="flex gap-3">
        <span className="font-mono">{lb.eip?.address ?? "—"}</span>
        {lb.eip ? (
          <Button variant="link" onClick={() => onAction({ kind: "unbind-eip", lb })}>
            Unbind
          </Button>
        ) : (
          <Button variant="link" onClick={() => onAction({ kind: "bind-eip", lb })}>
            Bind
          </Button>
        )}
      </span>,
    ],
    [
      "Bandwidth",
      <span key="bw" className="flex gap-3">
        {lb.eip ? `${lb.eip.bandwidthMbit} Mbit/s` : "—"}
        {lb.eip && (
          <Button variant="link" onClick={() => onAction({ kind: "modify-bandwidth", lb })}>
            Modify
          </Button>
        )}
      </span>,
    ],
    ["Description", lb.description || "—"],
    ["Created", formatDateTime(lb.createdAt)],
  ];
  return (
    <dl className="grid grid-cols-2 gap-x-8 gap-y-2" aria-label="Basic Information">
      {rows.map(([label, value]) => (
        <div key={label} className="grid grid-cols-[10rem_1fr]">
          <dt className="text-slate-500">{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
