"use client";
import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Tabs } from "@/app/_components/ui/tabs";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { InfoList, WithAction, type InfoRow } from "@/app/_components/ui/info-list";
import { Card, PageHeader, StatusDot } from "@/app/_components/ui/status";
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
      <PageHeader
        title={<Breadcrumbs trail={[{ href: "/load-balancers", label: "Load Balancers" }]} current={lb.name} />}
        actions={
          <Button variant="secondary" onClick={() => setAction({ kind: "delete", lb })}>
            Delete
          </Button>
        }
      />
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
  const rows: InfoRow[] = [
    ["Name", lb.name],
    ["ID", <span key="id" className="font-mono">{lb.id}</span>],
    ["Status", <StatusDot key="s" tone={lb.status === "running" ? "green" : "gray"}>{lb.status === "running" ? "Running" : "Stopped"}</StatusDot>],
    ["Network Type", lb.networkType === "public" ? "Public network" : "Private network"],
    ["VPC", lb.vpcName],
    ["Subnet", lb.subnetName],
    ["Private IP Address", <span key="ip" className="font-mono">{lb.privateIp}</span>],
    [
      "EIP",
      <WithAction key="eip" action={lb.eip ? "Unbind" : "Bind"} onAction={() => onAction({ kind: lb.eip ? "unbind-eip" : "bind-eip", lb })}>
        <span className="font-mono">{lb.eip?.address ?? "—"}</span>
      </WithAction>,
    ],
    [
      "Bandwidth",
      <WithAction key="bw" action="Modify" onAction={lb.eip ? () => onAction({ kind: "modify-bandwidth", lb }) : undefined}>
        {lb.eip ? `${lb.eip.bandwidthMbit} Mbit/s` : "—"}
      </WithAction>,
    ],
    ["Description", lb.description || "—"],
    ["Created", formatDateTime(lb.createdAt)],
  ];
  return <InfoList label="Basic Information" rows={rows} />;
}
