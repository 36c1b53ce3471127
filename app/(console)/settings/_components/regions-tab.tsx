"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DataTable, type Column } from "@/app/_components/data-table/data-table";
import { Button } from "@/app/_components/ui/button";
import { Card } from "@/app/_components/ui/status";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { ProjectView } from "@/server/services/project/list-projects";
import type { RegionView } from "@/server/services/region/list-regions";
import { DeleteProjectDialog, ProjectDialog } from "./project-dialogs";
import { DeleteRegionDialog, RegionDialog } from "./region-dialogs";
import { READ_ONLY_HINT, useIsAdministrator } from "./use-settings-access";

type Action =
  | { kind: "createRegion" }
  | { kind: "renameRegion"; region: RegionView }
  | { kind: "deleteRegion"; region: RegionView }
  | { kind: "createProject" }
  | { kind: "modifyProject"; project: ProjectView }
  | { kind: "deleteProject"; project: ProjectView }
  | null;

/** Regions (guide 1.7.2) and enterprise projects with their quotas; the top bar's selector lists both. */
export function RegionsTab() {
  const trpc = useTRPC();
  const isAdmin = useIsAdministrator();
  const regions = useQuery(trpc.region.list.queryOptions());
  const projects = useQuery(trpc.project.list.queryOptions());
  const [action, setAction] = useState<Action>(null);
  const adminOnly = { disabled: !isAdmin, title: isAdmin ? undefined : READ_ONLY_HINT };
  const close = () => setAction(null);

  const regionColumns: Column<RegionView>[] = [
    { id: "code", header: "Region Code", cell: (r) => r.code },
    { id: "name", header: "Name", cell: (r) => r.name },
    { id: "vpcs", header: "VPCs", cell: (r) => r.vpcCount },
    { id: "eipPools", header: "EIP Pools", cell: (r) => r.eipPoolCount },
    { id: "loadBalancers", header: "Load Balancers", cell: (r) => r.loadBalancerCount },
    {
      id: "operation",
      header: "Operation",
      cell: (r) => (
        <span className="flex gap-3">
          <Button variant="link" {...adminOnly} aria-label={`Rename region ${r.code}`} onClick={() => setAction({ kind: "renameRegion", region: r })}>
            Rename
          </Button>
          <Button variant="link" {...adminOnly} aria-label={`Delete region ${r.code}`} onClick={() => setAction({ kind: "deleteRegion", region: r })}>
            Delete
          </Button>
        </span>
      ),
    },
  ];
  const projectColumns: Column<ProjectView>[] = [
    { id: "name", header: "Name", cell: (p) => p.name },
    { id: "description", header: "Description", cell: (p) => p.description || <span className="text-slate-400">—</span> },
    { id: "lbQuota", header: "Load Balancers (used/quota)", cell: (p) => `${p.loadBalancerCount} / ${p.loadBalancerQuota}` },
    { id: "listenerQuota", header: "Listeners (used/quota)", cell: (p) => `${p.listenerCount} / ${p.listenerQuota}` },
    { id: "eips", header: "EIPs", cell: (p) => p.eipCount },
    {
      id: "operation",
      header: "Operation",
      cell: (p) => (
        <span className="flex gap-3">
          <Button variant="link" {...adminOnly} aria-label={`Modify enterprise project ${p.name}`} onClick={() => setAction({ kind: "modifyProject", project: p })}>
            Modify
          </Button>
          <Button variant="link" {...adminOnly} aria-label={`Delete enterprise project ${p.name}`} onClick={() => setAction({ kind: "deleteProject", project: p })}>
            Delete
          </Button>
        </span>
      ),
    },
  ];

  return (
    <div className="space-y-4">
      <Card
        title="Regions"
        actions={
          <Button {...adminOnly} onClick={() => setAction({ kind: "createRegion" })}>
            Create Region
          </Button>
        }
      >
        <p className="mb-3 text-xs text-slate-500">
          A region is a data center (here: a host or a group of engine hosts). Resources are created in one region and cannot move to another.
        </p>
        <DataTable label="Regions" columns={regionColumns} rows={regions.data} getRowId={(r) => r.id} isLoading={regions.isLoading} error={regions.error} empty="No regions." />
      </Card>
      <Card
        title="Enterprise Projects"
        actions={
          <Button {...adminOnly} onClick={() => setAction({ kind: "createProject" })}>
            Create Enterprise Project
          </Button>
        }
      >
        <p className="mb-3 text-xs text-slate-500">
          An enterprise project groups resources and carries the quotas: all its load balancers share its listener quota.
        </p>
        <DataTable label="Enterprise projects" columns={projectColumns} rows={projects.data} getRowId={(p) => p.id} isLoading={projects.isLoading} error={projects.error} empty="No enterprise projects." />
      </Card>
      {action?.kind === "createRegion" && <RegionDialog onClose={close} />}
      {action?.kind === "renameRegion" && <RegionDialog region={action.region} onClose={close} />}
      {action?.kind === "deleteRegion" && <DeleteRegionDialog region={action.region} onClose={close} />}
      {action?.kind === "createProject" && <ProjectDialog onClose={close} />}
      {action?.kind === "modifyProject" && <ProjectDialog project={action.project} onClose={close} />}
      {action?.kind === "deleteProject" && <DeleteProjectDialog project={action.project} onClose={close} />}
    </div>
  );
}
