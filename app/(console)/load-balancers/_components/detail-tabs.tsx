"use client";
import type { ComponentType } from "react";
import { Card } from "@/app/_components/ui/status";
import type { LoadBalancerView } from "@/server/services/load-balancer/load-balancer-view";
import { ListenersTab } from "./listeners/listeners-tab";
import { BackendServerGroupsTab } from "./backend-server-groups/backend-server-groups-tab";
import { AccessLogsTab } from "./access-logs/access-logs-tab";
import { MonitoringTab } from "./monitoring/monitoring-tab";

/** Tabs of the load balancer details page. */
export type DetailTab = "listeners" | "backend-server-groups" | "monitoring" | "access-logs" | "tags";

function NotYetAvailable({ what }: { what: string }) {
  return (
    <Card>
      <p className="py-8 text-center text-slate-500">{what}</p>
    </Card>
  );
}

/** Each tab and what it renders; later features replace their tab's component here. */
export const detailTabs: { value: DetailTab; label: string; render?: ComponentType<{ lb: LoadBalancerView }> }[] = [
  { value: "listeners", label: "Listeners", render: ListenersTab },
  { value: "backend-server-groups", label: "Backend Server Groups", render: BackendServerGroupsTab },
  { value: "monitoring", label: "Monitoring", render: MonitoringTab },
  { value: "access-logs", label: "Access Logs", render: AccessLogsTab },
  { value: "tags", label: "Tags" },
];
