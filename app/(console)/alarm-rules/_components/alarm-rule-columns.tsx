"use client";
import Link from "next/link";
import type { Column } from "@/app/_components/data-table/data-table";
import { Button } from "@/app/_components/ui/button";
import { metricDefinition, type MetricId } from "@/server/metrics/metric-catalog";
import type { AlarmRuleView } from "@/server/services/alarm-rule/alarm-rule-view";
import { conditionText, DIMENSION_LABELS, SEVERITY_LABELS } from "./alarm-rule-labels";
import { AlarmStateBadge } from "./alarm-state-badge";
import { MonitoredObject } from "./monitored-object";

/** What the list can ask for from a row's Operation column. */
export type AlarmRuleAction = { kind: "create" } | { kind: "modify"; rule: AlarmRuleView } | { kind: "delete"; rule: AlarmRuleView } | null;

/** The Alarm Rules list's columns: name (to the details), state, object, metric, condition, severity, enabled, operations. */
export function alarmRuleColumns(onAction: (action: AlarmRuleAction) => void, onToggle: (rule: AlarmRuleView) => void): Column<AlarmRuleView>[] {
  return [
    {
      id: "name",
      header: "Name",
      cell: (r) => (
        <Link href={`/alarm-rules/${r.id}`} className="font-medium break-words text-brand hover:underline" title={r.description || undefined}>
          {r.name}
        </Link>
      ),
    },
    { id: "state", header: "Status", cell: (r) => <AlarmStateBadge state={r.state} /> },
    { id: "object", header: "Monitored Object", cell: (r) => <MonitoredObject rule={r} /> },
    { id: "dimension", header: "Dimension", cell: (r) => DIMENSION_LABELS[r.dimension] },
    { id: "metric", header: "Metric", cell: (r) => metricDefinition(r.metric as MetricId).name },
    { id: "condition", header: "Alarm Condition", cell: (r) => conditionText(r, metricDefinition(r.metric as MetricId).unit) },
    { id: "severity", header: "Alarm Severity", cell: (r) => SEVERITY_LABELS[r.severity] },
    { id: "enabled", header: "Enabled", cell: (r) => (r.enabled ? "Enabled" : "Disabled") },
    {
      id: "operation",
      header: "Operation",
      cell: (r) => (
        <span className="flex gap-3 whitespace-nowrap">
          <Button variant="link" aria-label={`Modify alarm rule ${r.name}`} onClick={() => onAction({ kind: "modify", rule: r })}>
            Modify
          </Button>
          <Button variant="link" aria-label={`${r.enabled ? "Disable" : "Enable"} alarm rule ${r.name}`} onClick={() => onToggle(r)}>
            {r.enabled ? "Disable" : "Enable"}
          </Button>
          <Button variant="link" aria-label={`Delete alarm rule ${r.name}`} onClick={() => onAction({ kind: "delete", rule: r })}>
            Delete
          </Button>
        </span>
      ),
    },
  ];
}
