"use client";
import { Field, Input, Select, Textarea } from "@/app/_components/ui/field";
import type { FieldErrors } from "@/app/_lib/form-errors";
import type { AlarmComparison, AlarmDimension, AlarmSeverity, AlarmStatistic } from "@/db/schema/alarms";
import { METRICS, type MetricId } from "@/server/metrics/metric-catalog";
import { AGGREGATE_PERIODS, RAW_PERIOD } from "@/server/services/alarm-rule/alarm-rule.schemas";
import type { MonitoredLoadBalancer } from "@/server/services/alarm-rule/list-monitored-objects";
import { COMPARISON_LABELS, DIMENSION_LABELS, PERIOD_LABELS, SEVERITY_LABELS, STATISTIC_LABELS } from "./alarm-rule-labels";

/** What Create and Modify Alarm Rule edit (threshold as typed). */
export interface AlarmRuleDraft {
  name: string;
  description: string;
  dimension: AlarmDimension;
  loadBalancerId: string;
  listenerId: string;
  metric: MetricId;
  statistic: AlarmStatistic;
  periodSeconds: number;
  comparison: AlarmComparison;
  threshold: string;
  consecutivePeriods: number;
  severity: AlarmSeverity;
  enabled: boolean;
  webhookUrl: string;
}

/** The input the server receives for a draft. */
export function draftInput(draft: AlarmRuleDraft) {
  return {
    name: draft.name,
    description: draft.description,
    resourceType: "ELB" as const,
    dimension: draft.dimension,
    loadBalancerId: draft.loadBalancerId,
    listenerId: draft.dimension === "LISTENER" ? draft.listenerId || null : null,
    metric: draft.metric,
    statistic: draft.statistic,
    periodSeconds: draft.periodSeconds,
    comparison: draft.comparison,
    threshold: draft.threshold.trim() === "" ? Number.NaN : Number(draft.threshold),
    consecutivePeriods: draft.consecutivePeriods,
    severity: draft.severity,
    enabled: draft.enabled,
    webhookUrl: draft.webhookUrl,
  };
}

/** The metrics a draft's object offers: m9/ma for load balancers only, layer-7 metrics for HTTP/HTTPS only. */
export function metricsFor(draft: AlarmRuleDraft, objects: readonly MonitoredLoadBalancer[]) {
  const lb = objects.find((o) => o.id === draft.loadBalancerId);
  const listener = lb?.listeners.find((l) => l.id === draft.listenerId);
  const layer7 = draft.dimension === "LISTENER" ? listener?.protocol === "HTTP" || listener?.protocol === "HTTPS" : (lb?.layer7 ?? false);
  return METRICS.filter((m) => m.objects.includes(draft.dimension) && (!m.layer7 || layer7));
}

const STATISTICS: AlarmStatistic[] = ["RAW", "AVG", "MAX", "MIN", "SUM"];
const COMPARISONS: AlarmComparison[] = [">", ">=", "<", "<=", "="];
const SEVERITIES: AlarmSeverity[] = ["CRITICAL", "MAJOR", "MINOR", "INFORMATIONAL"];

/** The fields of Create/Modify Alarm Rule (guide 8.2; Cloud Eye's form). */
export function AlarmRuleFields({ draft, onChange, errors, objects }: { draft: AlarmRuleDraft; onChange: (draft: AlarmRuleDraft) => void; errors: FieldErrors; objects: readonly MonitoredLoadBalancer[] }) {
  const lb = objects.find((o) => o.id === draft.loadBalancerId);
  const set = (change: Partial<AlarmRuleDraft>) => {
    const next = { ...draft, ...change };
    // Keep the metric one the new object offers.
    const offered = metricsFor(next, objects);
    if (offered.length > 0 && !offered.some((m) => m.id === next.metric)) next.metric = offered[0]!.id;
    onChange(next);
  };
  const metrics = metricsFor(draft, objects);
  const selected = METRICS.find((m) => m.id === draft.metric);
  return (
    <>
      <Field label="Name" htmlFor="alarm-name" required error={errors.name} hint="1–64 letters, digits, underscores (_), hyphens (-) and periods (.)">
        <Input id="alarm-name" value={draft.name} onChange={(e) => set({ name: e.target.value })} autoFocus />
      </Field>
      <Field label="Description" htmlFor="alarm-description" error={errors.description}>
        <Textarea id="alarm-description" value={draft.description} onChange={(e) => set({ description: e.target.value })} />
      </Field>
      <Field label="Resource Type" htmlFor="alarm-resource-type" required error={errors.resourceType}>
        <Select id="alarm-resource-type" value="ELB" disabled>
          <option value="ELB">Elastic Load Balance</option>
        </Select>
      </Field>
      <Field label="Dimension" htmlFor="alarm-dimension" required error={errors.dimension}>
        <Select id="alarm-dimension" value={draft.dimension} onChange={(e) => set({ dimension: e.target.value as AlarmDimension, listenerId: "" })}>
          {(["LOAD_BALANCER", "LISTENER"] as const).map((d) => (
            <option key={d} value={d}>
              {DIMENSION_LABELS[d]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Load Balancer" htmlFor="alarm-load-balancer" required error={errors.loadBalancerId} hint={objects.length === 0 ? "No load balancer in this project yet." : undefined}>
        <Select id="alarm-load-balancer" value={draft.loadBalancerId} onChange={(e) => set({ loadBalancerId: e.target.value, listenerId: "" })}>
          <option value="">Select a load balancer</option>
          {objects.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </Select>
      </Field>
      {draft.dimension === "LISTENER" && (
        <Field label="Listener" htmlFor="alarm-listener" required error={errors.listenerId}>
          <Select id="alarm-listener" value={draft.listenerId} onChange={(e) => set({ listenerId: e.target.value })}>
            <option value="">Select a listener</option>
            {(lb?.listeners ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} ({l.protocol}/{l.port})
              </option>
            ))}
          </Select>
        </Field>
      )}
      <Field label="Metric" htmlFor="alarm-metric" required error={errors.metric} hint={selected ? `${selected.description} (${selected.unit})` : undefined}>
        <Select id="alarm-metric" value={draft.metric} onChange={(e) => set({ metric: e.target.value as MetricId })}>
          {metrics.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} ({m.id})
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Statistic" htmlFor="alarm-statistic" required error={errors.statistic}>
        <Select
          id="alarm-statistic"
          value={draft.statistic}
          onChange={(e) => {
            const statistic = e.target.value as AlarmStatistic;
            const periodSeconds = statistic === "RAW" ? RAW_PERIOD : draft.periodSeconds === RAW_PERIOD ? AGGREGATE_PERIODS[0] : draft.periodSeconds;
            set({ statistic, periodSeconds });
          }}
        >
          {STATISTICS.map((s) => (
            <option key={s} value={s}>
              {STATISTIC_LABELS[s]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Period" htmlFor="alarm-period" required error={errors.periodSeconds}>
        <Select id="alarm-period" value={draft.periodSeconds} onChange={(e) => set({ periodSeconds: Number(e.target.value) })} disabled={draft.statistic === "RAW"}>
          {(draft.statistic === "RAW" ? [RAW_PERIOD] : AGGREGATE_PERIODS).map((p) => (
            <option key={p} value={p}>
              {PERIOD_LABELS[p]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Comparison" htmlFor="alarm-comparison" required error={errors.comparison}>
        <Select id="alarm-comparison" value={draft.comparison} onChange={(e) => set({ comparison: e.target.value as AlarmComparison })}>
          {COMPARISONS.map((c) => (
            <option key={c} value={c}>
              {COMPARISON_LABELS[c]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Threshold" htmlFor="alarm-threshold" required error={errors.threshold} hint={selected ? `In ${selected.unit}.` : undefined}>
        <Input id="alarm-threshold" inputMode="decimal" value={draft.threshold} onChange={(e) => set({ threshold: e.target.value })} />
      </Field>
      <Field label="Consecutive Periods" htmlFor="alarm-consecutive" required error={errors.consecutivePeriods} hint="The alarm is raised when this many periods in a row meet the condition.">
        <Select id="alarm-consecutive" value={draft.consecutivePeriods} onChange={(e) => set({ consecutivePeriods: Number(e.target.value) })}>
          {[1, 2, 3, 4, 5].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Alarm Severity" htmlFor="alarm-severity" required error={errors.severity}>
        <Select id="alarm-severity" value={draft.severity} onChange={(e) => set({ severity: e.target.value as AlarmSeverity })}>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {SEVERITY_LABELS[s]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Enabled" htmlFor="alarm-enabled" error={errors.enabled}>
        <input id="alarm-enabled" type="checkbox" className="mt-2" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
      </Field>
      <Field
        label="Notification URL"
        htmlFor="alarm-webhook"
        error={errors.webhookUrl}
        hint="A webhook receiving a JSON POST when the alarm is raised and when it recovers (3 attempts). Leave empty for no notification."
      >
        <Input id="alarm-webhook" value={draft.webhookUrl} placeholder="https://hooks.example.com/elb" onChange={(e) => set({ webhookUrl: e.target.value })} />
      </Field>
    </>
  );
}
