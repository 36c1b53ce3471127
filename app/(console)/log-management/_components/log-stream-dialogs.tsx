"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Field, Input, Segmented } from "@/app/_components/ui/field";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { useDialogForm } from "@/app/_components/ui/use-dialog-form";
import { numberOf, type FieldErrors } from "@/app/_lib/form-errors";
import { useTRPC } from "@/app/_lib/trpc/react";
import { Switch } from "@/app/(console)/load-balancers/_components/backend-server-groups/switch";
import { createLogStreamSchema } from "@/server/services/log-stream/log-stream.schemas";
import type { LogStreamView } from "@/server/services/log-stream/log-stream-view";
import { useRefreshLogManagement } from "./use-refresh-log-management";

interface LogStreamDraft {
  name: string;
  forward: boolean;
  protocol: "UDP" | "TCP";
  host: string;
  port: string;
}

const FIELDS: Record<string, string> = { name: "name", "syslog.protocol": "protocol", "syslog.host": "host", "syslog.port": "port" };
const fieldOf = (field: string) => FIELDS[field] ?? null;

/** Log Stream Name and the optional syslog forwarding (RFC 5424 over UDP or TCP). */
function LogStreamFields({ draft, onChange, errors }: { draft: LogStreamDraft; onChange: (d: LogStreamDraft) => void; errors: FieldErrors }) {
  const set = (change: Partial<LogStreamDraft>) => onChange({ ...draft, ...change });
  return (
    <>
      <Field label="Log Stream Name" htmlFor="log-stream-name" required error={errors.name} hint="1–64 letters, digits, underscores (_), hyphens (-) and periods (.); unique in the log group">
        <Input id="log-stream-name" value={draft.name} onChange={(e) => set({ name: e.target.value })} autoFocus />
      </Field>
      <Field label="Syslog Forwarding" hint="Also send every record to a syslog server (RFC 5424; TCP with octet counting, RFC 6587).">
        <Switch id="log-stream-syslog" label="Syslog Forwarding" checked={draft.forward} onChange={(forward) => set({ forward })} />
      </Field>
      {draft.forward && (
        <>
          <Field label="Protocol" required error={errors.protocol}>
            <Segmented<"UDP" | "TCP"> name="Syslog Protocol" value={draft.protocol} options={[{ value: "UDP", label: "UDP" }, { value: "TCP", label: "TCP" }]} onChange={(protocol) => set({ protocol })} />
          </Field>
          <Field label="Host" htmlFor="log-stream-syslog-host" required error={errors.host}>
            <Input id="log-stream-syslog-host" value={draft.host} placeholder="192.0.2.10" onChange={(e) => set({ host: e.target.value })} />
          </Field>
          <Field label="Port" htmlFor="log-stream-syslog-port" required error={errors.port} hint="1–65535 (syslog: 514)">
            <Input id="log-stream-syslog-port" type="number" min={1} max={65535} value={draft.port} onChange={(e) => set({ port: e.target.value })} />
          </Field>
        </>
      )}
    </>
  );
}

const syslogOf = (d: LogStreamDraft) => (d.forward ? { protocol: d.protocol, host: d.host, port: numberOf(d.port) } : null);

/** Create Log Stream (guide chapter 7, step 2b) in the selected log group. */
export function CreateLogStreamDialog({ groupId, onClose }: { groupId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshLogManagement();
  const [draft, setDraft] = useState<LogStreamDraft>({ name: "", forward: false, protocol: "UDP", host: "", port: "514" });
  const { errors, formMessage, save, mutationOptions } = useDialogForm({ refresh, onClose, fieldOf });
  const create = useMutation(trpc.logStream.create.mutationOptions(mutationOptions));
  return (
    <FormDialog title="Create Log Stream" onClose={onClose} onSubmit={() => save({ groupId, name: draft.name, syslog: syslogOf(draft) }, create.mutate, createLogStreamSchema)} pending={create.isPending} message={formMessage}>
      <LogStreamFields draft={draft} onChange={setDraft} errors={errors} />
    </FormDialog>
  );
}

/** Modify a log stream's name or syslog forwarding. */
export function ModifyLogStreamDialog({ stream, onClose }: { stream: LogStreamView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshLogManagement();
  const [draft, setDraft] = useState<LogStreamDraft>({
    name: stream.name,
    forward: stream.syslog !== null,
    protocol: stream.syslog?.protocol ?? "UDP",
    host: stream.syslog?.host ?? "",
    port: String(stream.syslog?.port ?? 514),
  });
  const { errors, formMessage, save, mutationOptions } = useDialogForm({ refresh, onClose, fieldOf });
  const update = useMutation(trpc.logStream.update.mutationOptions(mutationOptions));
  return (
    <FormDialog title="Modify Log Stream" onClose={onClose} onSubmit={() => save({ id: stream.id, name: draft.name, syslog: syslogOf(draft) }, update.mutate)} pending={update.isPending} message={formMessage}>
      <LogStreamFields draft={draft} onChange={setDraft} errors={errors} />
    </FormDialog>
  );
}
