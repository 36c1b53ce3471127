"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Field, Input } from "@/app/_components/ui/field";
import { Card } from "@/app/_components/ui/status";
import { fieldError, formError } from "@/app/_lib/form-errors";
import { useTRPC } from "@/app/_lib/trpc/react";
import { READ_ONLY_HINT, useIsAdministrator } from "./use-settings-access";

const FIELDS = [
  { key: "rawDays", label: "1-minute points", hint: "Charts of up to 1 day use them." },
  { key: "fiveMinuteDays", label: "5-minute points", hint: "Charts of up to 7 days, or older than the 1-minute points." },
  { key: "hourDays", label: "1-hour points", hint: "Longer charts." },
] as const;
type Key = (typeof FIELDS)[number]["key"];

/** How long metric points are kept, per resolution (administrators change it; audited). */
export function MetricsRetentionCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isAdmin = useIsAdministrator();
  const current = useQuery(trpc.metrics.retention.queryOptions());
  const [form, setForm] = useState<Record<Key, string> | null>(null);
  useEffect(() => {
    if (current.data && form === null) setForm(Object.fromEntries(FIELDS.map((f) => [f.key, String(current.data.retention[f.key])])) as Record<Key, string>);
  }, [current.data, form]);
  const save = useMutation(trpc.metrics.updateRetention.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.metrics.retention.queryKey() }) }));
  if (!current.data || !form) return <Card title="Metric Retention">{current.error ? current.error.message : "Loading…"}</Card>;
  const { limits, defaults } = current.data;
  const submit = () => save.mutate(Object.fromEntries(FIELDS.map((f) => [f.key, Number(form[f.key])])) as Record<Key, number>);
  return (
    <Card title="Metric Retention">
      <p className="mb-3 text-xs text-slate-500">
        The console stores a point per minute for every load balancer and listener and rolls them up into 5-minute and 1-hour points. Points older than these limits are deleted within a minute of the change.
      </p>
      <form
        noValidate
        aria-label="Metric Retention"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <div className="grid max-w-xl gap-2">
          {FIELDS.map((f) => (
            <Field key={f.key} label={`${f.label} (days)`} htmlFor={`retention-${f.key}`} required error={fieldError(save.error, f.key)} hint={`${f.hint} ${limits[f.key][0]}–${limits[f.key][1]} days, default ${defaults[f.key]}.`}>
              <Input id={`retention-${f.key}`} inputMode="numeric" value={form[f.key]} disabled={!isAdmin} onChange={(e) => setForm({ ...form, [f.key]: e.target.value })} />
            </Field>
          ))}
        </div>
        {formError(save.error, FIELDS.map((f) => f.key)) && <p className="mb-2 text-sm text-red-600">{formError(save.error, FIELDS.map((f) => f.key))}</p>}
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={!isAdmin || save.isPending} title={isAdmin ? undefined : READ_ONLY_HINT}>
            {save.isPending ? "Saving…" : "Save"}
          </Button>
          {save.isSuccess && <span className="text-sm text-green-700">Saved.</span>}
        </div>
      </form>
    </Card>
  );
}
