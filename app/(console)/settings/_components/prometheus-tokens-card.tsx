"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DataTable, type Column } from "@/app/_components/data-table/data-table";
import { Button } from "@/app/_components/ui/button";
import { ConfirmDialog } from "@/app/_components/ui/confirm-dialog";
import { Dialog } from "@/app/_components/ui/dialog";
import { Field, Input } from "@/app/_components/ui/field";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { Card } from "@/app/_components/ui/status";
import { fieldError } from "@/app/_lib/form-errors";
import { formatDateTime } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { MetricsTokenView } from "@/server/services/metrics/metrics-tokens";
import { READ_ONLY_HINT, useIsAdministrator } from "./use-settings-access";

type Action = { kind: "create" } | { kind: "created"; name: string; token: string } | { kind: "delete"; token: MetricsTokenView } | null;

/** Settings → Prometheus: the scrape tokens of GET /metrics (created and deleted by administrators; audited). */
export function PrometheusTokensCard() {
  const trpc = useTRPC();
  const isAdmin = useIsAdministrator();
  const tokens = useQuery(trpc.metrics.tokens.queryOptions());
  const [action, setAction] = useState<Action>(null);
  const close = () => setAction(null);
  const adminOnly = { disabled: !isAdmin, title: isAdmin ? undefined : READ_ONLY_HINT };
  const columns: Column<MetricsTokenView>[] = [
    { id: "name", header: "Name", cell: (t) => t.name },
    { id: "createdBy", header: "Created By", cell: (t) => t.createdBy },
    { id: "created", header: "Created", cell: (t) => formatDateTime(t.createdAt) },
    { id: "lastUsed", header: "Last Scrape", cell: (t) => (t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "Never") },
    {
      id: "operation",
      header: "Operation",
      cell: (t) => (
        <Button variant="link" {...adminOnly} aria-label={`Delete token ${t.name}`} onClick={() => setAction({ kind: "delete", token: t })}>
          Delete
        </Button>
      ),
    },
  ];
  return (
    <Card
      title="Prometheus"
      actions={
        <Button {...adminOnly} onClick={() => setAction({ kind: "create" })}>
          Create Token
        </Button>
      }
    >
      <div className="mb-3 space-y-1 text-xs text-slate-500">
        <p>
          Prometheus scrapes <code>GET /metrics</code> on this console with <code>Authorization: Bearer &lt;token&gt;</code> (in prometheus.yml: <code>authorization: {"{"} credentials: &lt;token&gt; {"}"}</code>). Without a valid token it gets 401.
        </p>
        <p>
          Counters are totals since the engine started (<code>elb_connections_total</code>, <code>elb_requests_total</code>, <code>elb_http_responses_total{"{"}code_class{"}"}</code>, <code>elb_bytes_in_total</code>, …; use <code>rate()</code>), gauges the current
          connections and healthy/unhealthy servers, labelled <code>lbaas_instance_id</code> and <code>lbaas_listener_id</code> with the names. A token is shown once, when created; only its SHA-256 is stored.
        </p>
      </div>
      <DataTable label="Prometheus tokens" columns={columns} rows={tokens.data} getRowId={(t) => t.id} isLoading={tokens.isLoading} error={tokens.error} empty="No tokens: create one for your Prometheus server." />
      {action?.kind === "create" && <CreateTokenDialog onClose={close} onCreated={(name, token) => setAction({ kind: "created", name, token })} />}
      {action?.kind === "created" && <TokenCreatedDialog name={action.name} token={action.token} onClose={close} />}
      {action?.kind === "delete" && <DeleteTokenDialog token={action.token} onClose={close} />}
    </Card>
  );
}

/** Create Token: a name; the answer shows the token once. */
function CreateTokenDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (name: string, token: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.metrics.createToken.mutationOptions({
      onSuccess: async (created) => {
        await queryClient.invalidateQueries({ queryKey: trpc.metrics.tokens.queryKey() });
        onCreated(created.name, created.token);
      },
    }),
  );
  return (
    <FormDialog title="Create Token" onClose={onClose} onSubmit={() => create.mutate({ name })} pending={create.isPending} error={create.error} fields={["name"]}>
      <Field label="Name" htmlFor="token-name" required error={fieldError(create.error, "name")} hint="1–64 letters, digits, spaces, '.', '-' and '_', e.g. the Prometheus server that uses it.">
        <Input id="token-name" value={name} autoComplete="off" onChange={(e) => setName(e.target.value)} autoFocus />
      </Field>
    </FormDialog>
  );
}

/** The new token, shown this once. */
function TokenCreatedDialog({ name, token, onClose }: { name: string; token: string; onClose: () => void }) {
  return (
    <Dialog open title="Token Created" onClose={onClose} footer={<Button onClick={onClose}>Done</Button>}>
      <p className="mb-2">
        Copy the token of <strong>{name}</strong> now: it is not shown again.
      </p>
      <code aria-label="New token" className="block break-all rounded bg-slate-100 p-2 text-xs">
        {token}
      </code>
    </Dialog>
  );
}

/** Delete Token: scrapes with it get 401 from then on. */
function DeleteTokenDialog({ token, onClose }: { token: MetricsTokenView; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.metrics.deleteToken.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.metrics.tokens.queryKey() });
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog title="Delete Token" confirmLabel="Delete" onClose={onClose} onConfirm={() => remove.mutate({ id: token.id })} pending={remove.isPending} error={remove.error}>
      Are you sure you want to delete token <strong>{token.name}</strong>? Prometheus servers using it get 401 from then on.
    </ConfirmDialog>
  );
}
