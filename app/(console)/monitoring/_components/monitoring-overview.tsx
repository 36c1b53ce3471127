"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { DataTable } from "@/app/_components/data-table/data-table";
import { Button } from "@/app/_components/ui/button";
import { PageHeader } from "@/app/_components/ui/status";
import { useTRPC } from "@/app/_lib/trpc/react";
import { AUTO_REFRESH_MS } from "@/app/(console)/load-balancers/_components/monitoring/monitoring-view";
import { overviewColumns } from "./overview-columns";

/**
 * The Monitoring overview: each load balancer of the project with its latest concurrent connections, new
 * connections/s, inbound and outbound rate, layer-7 queries/s, 5xx/s and unhealthy servers, and a
 * sparkline of its last hour; reloaded every minute. A name opens that load balancer's Monitoring tab.
 */
export function MonitoringOverview() {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.metrics.overview.queryOptions(), refetchInterval: AUTO_REFRESH_MS });
  return (
    <>
      <PageHeader
        title="Monitoring"
        actions={
          <Button variant="secondary" onClick={() => void query.refetch()}>
            Refresh
          </Button>
        }
      />
      <p className="mb-3 text-sm text-slate-500">Latest 1-minute values; — where a load balancer reported no point in the last 5 minutes or does not have the metric.</p>
      <DataTable
        label="Load balancer metrics"
        columns={overviewColumns()}
        rows={query.data}
        getRowId={(row) => row.loadBalancerId}
        isLoading={query.isLoading}
        error={query.error}
        empty={
          <>
            No load balancers yet. <Link href="/load-balancers/create" className="text-brand hover:underline">Create one</Link> to see its metrics here.
          </>
        }
      />
    </>
  );
}
