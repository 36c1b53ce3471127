"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Field, Input } from "@/app/_components/ui/field";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { EipView } from "@/server/services/eip/eip-view";
import type { EipPoolView } from "@/server/services/network/list-eip-pools";
import { MAX_PREFIX, MIN_PREFIX } from "@/server/services/network/network.schemas";
import { BANDWIDTH_MAX, BANDWIDTH_MIN } from "@/server/services/load-balancer/load-balancer.schemas";
import { ConfirmDialog } from "@/app/_components/ui/confirm-dialog";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { fieldError } from "@/app/_lib/form-errors";
import { useRefreshAll } from "./use-settings-access";

/** Create EIP Pool: Name and IPv4 CIDR Block of public addresses that exist on the engine hosts. */
export function CreateEipPoolDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const [name, setName] = useState("");
  const [cidr, setCidr] = useState("");
  const create = useMutation(
    trpc.eipPool.create.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <FormDialog title="Create EIP Pool" onClose={onClose} onSubmit={() => create.mutate({ name, cidr })} pending={create.isPending} error={create.error} fields={["name", "cidr"]}>
      <Field label="Name" htmlFor="pool-name" required error={fieldError(create.error, "name")} hint="1–64 letters, digits, underscores (_), hyphens (-) and periods (.)">
        <Input id="pool-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      </Field>
      <Field
        label="IPv4 CIDR Block"
        htmlFor="pool-cidr"
        required
        error={fieldError(create.error, "cidr")}
        hint={`Mask length ${MIN_PREFIX}–${MAX_PREFIX}. Must not overlap another EIP pool or a subnet: EIPs are bound on the engine hosts.`}
      >
        <Input id="pool-cidr" value={cidr} placeholder="127.21.0.0/16" onChange={(e) => setCidr(e.target.value)} />
      </Field>
    </FormDialog>
  );
}

/** Delete EIP Pool; the server refuses while EIPs are allocated from it. */
export function DeleteEipPoolDialog({ pool, onClose }: { pool: EipPoolView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const remove = useMutation(
    trpc.eipPool.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog title="Delete EIP Pool" confirmLabel="Delete" onClose={onClose} onConfirm={() => remove.mutate({ id: pool.id })} pending={remove.isPending} error={remove.error}>
      Are you sure you want to delete EIP pool <strong>{pool.name}</strong> ({pool.cidr})?
    </ConfirmDialog>
  );
}

/** Allocate EIP: EIP Type Dynamic BGP and a Bandwidth of 1–2000 Mbit/s; the lowest free address of the pool. */
export function AllocateEipDialog({ pool, onClose }: { pool: EipPoolView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const [bandwidth, setBandwidth] = useState("10");
  const allocate = useMutation(
    trpc.eip.create.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <FormDialog
      title="Allocate EIP"
      onClose={onClose}
      onSubmit={() => allocate.mutate({ poolId: pool.id, eipType: "dynamic_bgp", bandwidthMbit: Number(bandwidth) })}
      pending={allocate.isPending}
      error={allocate.error}
      fields={["bandwidthMbit"]}
    >
      <Field label="EIP Pool">
        <p className="pt-1.5">
          {pool.name} ({pool.cidr}), {pool.availableCount} address(es) free
        </p>
      </Field>
      <Field label="EIP Type">
        <p className="pt-1.5">Dynamic BGP</p>
      </Field>
      <Field label="Bandwidth (Mbit/s)" htmlFor="eip-bandwidth" required error={fieldError(allocate.error, "bandwidthMbit")} hint={`${BANDWIDTH_MIN}–${BANDWIDTH_MAX} Mbit/s`}>
        <Input id="eip-bandwidth" type="number" min={BANDWIDTH_MIN} max={BANDWIDTH_MAX} step={1} value={bandwidth} onChange={(e) => setBandwidth(e.target.value)} autoFocus />
      </Field>
    </FormDialog>
  );
}

/** Release an unbound EIP back to its pool. */
export function ReleaseEipDialog({ eip, onClose }: { eip: EipView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const release = useMutation(
    trpc.eip.release.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog title="Release EIP" confirmLabel="Release" onClose={onClose} onConfirm={() => release.mutate({ id: eip.id })} pending={release.isPending} error={release.error}>
      Are you sure you want to release EIP <strong>{eip.address}</strong>? The address goes back to pool {eip.poolName}.
    </ConfirmDialog>
  );
}
