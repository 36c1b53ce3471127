"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { Field, Input, Select, Textarea } from "@/app/_components/ui/field";
import { useTRPC } from "@/app/_lib/trpc/react";
import { backendProtocolFor, updateListenerSchema } from "@/server/services/listener/listener.schemas";
import type { ListenerView } from "@/server/services/listener/listener-view";
import { useDialogForm } from "@/app/_components/ui/use-dialog-form";
import { useRefreshListeners } from "./use-refresh-listeners";
import { HttpsFields } from "./https-fields";
import { httpsDraftOf, httpsInputOf } from "./https-draft";
import { ClientIpFields } from "./client-ip-fields";
import { clientIpDraftOf, clientIpInputOf } from "./client-ip-draft";

/**
 * Modify Listener (guide 3.7): Name, Backend Server Group (its own or an unassociated matching one),
 * Description; for HTTPS also Server Certificate and Advanced Settings (HTTP/2, Mutual Authentication,
 * 3.8.2, 3.8.3): turning Mutual Authentication off sends caCertificateId null; the client IP fields of
 * issue 10 (only those changed are sent).
 */
export function ModifyListenerDialog({ listener, onClose }: { listener: ListenerView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshListeners();
  const pools = useQuery(trpc.pool.list.queryOptions({ loadBalancerId: listener.loadBalancerId }));
  const [name, setName] = useState(listener.name);
  const [description, setDescription] = useState(listener.description);
  const [poolId, setPoolId] = useState(listener.pool?.id ?? "");
  const [https, setHttps] = useState(() => httpsDraftOf(listener));
  const [clientIp, setClientIp] = useState(() => clientIpDraftOf(listener.clientIp));
  const { errors, formMessage, save, mutationOptions } = useDialogForm({ refresh, onClose });
  const mutation = useMutation(trpc.listener.update.mutationOptions(mutationOptions));
  const backend = backendProtocolFor(listener.protocol);
  const choices = pools.data?.filter((p) => p.protocol === backend && (!p.listener || p.listener.id === listener.id)) ?? [];
  const monitor = choices.find((p) => p.id === poolId)?.healthMonitor;
  const submit = () =>
    save(
      {
        id: listener.id,
        name,
        description,
        ...(poolId && { defaultPoolId: poolId }),
        ...(listener.protocol === "HTTPS" && httpsInputOf(https)),
        ...clientIpInputOf(listener.protocol, clientIp, listener.clientIp),
      },
      mutation.mutate,
      updateListenerSchema,
    );
  return (
    <FormDialog title="Modify Listener" onClose={onClose} onSubmit={submit} pending={mutation.isPending} message={formMessage}>
      <Field label="Name" htmlFor="listener-name" required error={errors.name}>
        <Input id="listener-name" aria-label="Name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
      </Field>
      <Field label="Frontend Protocol/Port" htmlFor="listener-frontend" hint="The protocol and port cannot be changed.">
        <Input id="listener-frontend" value={`${listener.protocol}/${listener.port}`} disabled />
      </Field>
      <Field label="Backend Server Group" htmlFor="listener-pool" error={errors.defaultPoolId} hint={`This listener's group or an unassociated ${backend} group of the load balancer.`}>
        <Select id="listener-pool" aria-label="Backend Server Group" value={poolId} onChange={(e) => setPoolId(e.target.value)}>
          {!listener.pool && <option value="">None</option>}
          {choices.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </Select>
      </Field>
      {listener.protocol === "HTTPS" && <HttpsFields draft={https} onChange={setHttps} errors={errors} />}
      <ClientIpFields
        protocol={listener.protocol}
        draft={clientIp}
        onChange={setClientIp}
        errors={errors}
        storedTransfer={listener.clientIp.transferClientIp}
        healthCheckIntervalSeconds={monitor?.enabled ? monitor.intervalSeconds : null}
      />
      <Field label="Description" htmlFor="listener-description" error={errors.description}>
        <Textarea id="listener-description" aria-label="Description" value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
    </FormDialog>
  );
}
