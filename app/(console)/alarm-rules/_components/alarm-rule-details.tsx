"use client";
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { DataTable } from "@/app/_components/data-table/data-table";
import { Breadcrumbs } from "@/app/_components/ui/breadcrumbs";
import { Button } from "@/app/_components/ui/button";
import { InfoList } from "@/app/_components/ui/info-list";
import { Card, PageHeader } from "@/app/_components/ui/status";
import { errorMessage, formatDateTime } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import { metricDefinition, type MetricId } from "@/server/metrics/metric-catalog";
import type { AlarmRuleDetails as Details } from "@/server/services/alarm-rule/get-alarm-rule";
import { conditionText, DIMENSION_LABELS, SEVERITY_LABELS } from "./alarm-rule-labels";
import { ModifyAlarmRuleDialog } from "./alarm-rule-dialogs";
import { AlarmStateBadge } from "./alarm-state-badge";
import { DeleteAlarmRuleDialog } from "./delete-alarm-rule-dialog";
import { MonitoredObject } from "./monitored-object";
import { useToggleAlarmRule } from "./use-toggle-alarm-rule";

type HistoryRow = Details["history"][number];
type NotificationRow = Details["notifications"][number];

const DELIVERY_LABELS: Record<NotificationRow["status"], string> = { PENDING: "Pending", DELIVERED: "Delivered", FAILED: "Failed" };

/** An alarm rule's page: its settings, Modify / Disable / Delete, the state history and the notification deliveries. Refreshes every 15 s. */
export function AlarmRuleDetails({ id }: { id: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const details = useQuery({ ...trpc.alarmRule.get.queryOptions({ id }), refetchInterval: 15_000 });
  const toggle = useToggleAlarmRule();
  const [action, setAction] = useState<"modify" | "delete" | null>(null);
  const trail = [{ href: "/alarm-rules", label: "Alarm Rules" }];
  if (!details.data)
    return (
      <>
        <Breadcrumbs trail={trail} current={id} />
        <p className="py-6 text-slate-500">{details.error ? errorMessage(details.error) : "Loading…"}</p>
      </>
    );
  const { rule, history, notifications } = details.data;
  const metric = metricDefinition(rule.metric as MetricId);
  return (
    <>
      <Breadcrumbs trail={trail} current={rule.name} />
      <PageHeader
        title={rule.name}
        actions={
          <>
            <Button variant="secondary" onClick={() => setAction("modify")}>
              Modify
            </Button>
            <Button variant="secondary" onClick={() => toggle.toggle(rule)} disabled={toggle.pending}>
              {rule.enabled ? "Disable" : "Enable"}
            </Button>
            <Button variant="danger" onClick={() => setAction("delete")}>
              Delete
            </Button>
          </>
        }
      />
      <div className="space-y-4">
        <Card title="Alarm Rule">
          <InfoList
            label="Alarm Rule"
            rows={[
              ["Status", <AlarmStateBadge key="s" state={rule.state} />],
              ["Enabled", rule.enabled ? "Enabled" : "Disabled"],
              ["Resource Type", "Elastic Load Balance"],
              ["Dimension", DIMENSION_LABELS[rule.dimension]],
              ["Monitored Object", <MonitoredObject key="o" rule={rule} />],
              ["Metric", `${metric.name} (${metric.id})`],
              ["Alarm Condition", conditionText(rule, metric.unit)],
              ["Alarm Severity", SEVERITY_LABELS[rule.severity]],
              ["Notification URL", rule.webhookUrl ?? "None"],
              ["Last State Change", formatDateTime(rule.stateChangedAt)],
              ["Last Evaluated", formatDateTime(rule.lastEvaluatedAt)],
              ["Description", rule.description || "—"],
            ]}
          />
        </Card>
        <Card title="Alarm History">
          <DataTable<HistoryRow>
            label="Alarm History"
            columns={[
              { id: "at", header: "Time", cell: (h) => formatDateTime(h.at) },
              { id: "from", header: "From", cell: (h) => <AlarmStateBadge state={h.fromState} /> },
              { id: "to", header: "To", cell: (h) => <AlarmStateBadge state={h.toState} /> },
              { id: "value", header: "Value", cell: (h) => (h.value === null ? "—" : `${h.value} ${metric.unit}`) },
              { id: "reason", header: "Reason", cell: (h) => h.reason },
            ]}
            rows={history}
            getRowId={(h) => h.id}
            empty="No state change yet: rules are evaluated every minute."
          />
        </Card>
        <Card title="Notifications">
          <DataTable<NotificationRow>
            label="Notifications"
            columns={[
              { id: "createdAt", header: "Time", cell: (n) => formatDateTime(n.createdAt) },
              { id: "status", header: "Delivery", cell: (n) => DELIVERY_LABELS[n.status] },
              { id: "attempts", header: "Attempts", cell: (n) => n.attempts },
              { id: "code", header: "Last Status Code", cell: (n) => n.lastStatusCode ?? "—" },
              { id: "error", header: "Last Error", cell: (n) => <span className="break-words">{n.lastError ?? "—"}</span> },
              { id: "deliveredAt", header: "Delivered", cell: (n) => formatDateTime(n.deliveredAt) },
              { id: "url", header: "URL", cell: (n) => <span className="break-all">{n.url}</span> },
            ]}
            rows={notifications}
            getRowId={(n) => n.id}
            empty={rule.webhookUrl ? "No notification yet: one is sent when the alarm is raised and when it recovers." : "This rule has no notification URL."}
          />
        </Card>
      </div>
      {action === "modify" && <ModifyAlarmRuleDialog rule={rule} onClose={() => setAction(null)} />}
      {action === "delete" && <DeleteAlarmRuleDialog rule={rule} onClose={() => setAction(null)} onDeleted={() => router.push("/alarm-rules")} />}
    </>
  );
}
