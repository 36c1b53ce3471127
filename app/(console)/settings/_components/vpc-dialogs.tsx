"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Field, Input } from "@/app/_components/ui/field";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { SubnetView } from "@/server/services/network/list-subnets";
import type { VpcView } from "@/server/services/network/list-vpcs";
import { MAX_PREFIX, MIN_PREFIX } from "@/server/services/network/network.schemas";
import { ConfirmDialog } from "@/app/_components/ui/confirm-dialog";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { fieldError } from "@/app/_lib/form-errors";
import { useRefreshAll } from "./use-settings-access";

const cidrHint = `An IPv4 CIDR block, mask length ${MIN_PREFIX}–${MAX_PREFIX}. On one host, a loopback range such as 127.11.0.0/16 works without network setup.`;

/** Create VPC: Name and IPv4 CIDR Block. */
export function CreateVpcDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const [name, setName] = useState("");
  const [cidr, setCidr] = useState("");
  const create = useMutation(trpc.vpc.create.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }));
  return (
    <FormDialog title="Create VPC" onClose={onClose} onSubmit={() => create.mutate({ name, cidr })} pending={create.isPending} error={create.error} fields={["name", "cidr"]}>
      <Field label="Name" htmlFor="vpc-name" required error={fieldError(create.error, "name")} hint="1–64 letters, digits, underscores (_), hyphens (-) and periods (.)">
        <Input id="vpc-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      </Field>
      <Field label="IPv4 CIDR Block" htmlFor="vpc-cidr" required error={fieldError(create.error, "cidr")} hint={cidrHint}>
        <Input id="vpc-cidr" value={cidr} placeholder="192.168.0.0/16" onChange={(e) => setCidr(e.target.value)} />
      </Field>
    </FormDialog>
  );
}

/** Create Subnet in a VPC: its block must lie inside the VPC's and overlap no other subnet. */
export function CreateSubnetDialog({ vpc, onClose }: { vpc: VpcView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const [name, setName] = useState("");
  const [cidr, setCidr] = useState("");
  const create = useMutation(trpc.subnet.create.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }));
  return (
    <FormDialog title="Create Subnet" onClose={onClose} onSubmit={() => create.mutate({ vpcId: vpc.id, name, cidr })} pending={create.isPending} error={create.error} fields={["name", "cidr"]}>
      <Field label="VPC">
        <p className="pt-1.5">
          {vpc.name} ({vpc.cidr})
        </p>
      </Field>
      <Field label="Name" htmlFor="subnet-name" required error={fieldError(create.error, "name")} hint="1–64 letters, digits, underscores (_), hyphens (-) and periods (.)">
        <Input id="subnet-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      </Field>
      <Field label="IPv4 CIDR Block" htmlFor="subnet-cidr" required error={fieldError(create.error, "cidr")} hint={`Must lie inside ${vpc.cidr} and not overlap the VPC's other subnets.`}>
        <Input id="subnet-cidr" value={cidr} placeholder={vpc.cidr} onChange={(e) => setCidr(e.target.value)} />
      </Field>
    </FormDialog>
  );
}

/** Delete VPC (with its subnets); the server refuses while load balancers use it. */
export function DeleteVpcDialog({ vpc, onClose }: { vpc: VpcView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const remove = useMutation(trpc.vpc.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }));
  return (
    <ConfirmDialog title="Delete VPC" confirmLabel="Delete" onClose={onClose} onConfirm={() => remove.mutate({ id: vpc.id })} pending={remove.isPending} error={remove.error}>
      Are you sure you want to delete VPC <strong>{vpc.name}</strong> ({vpc.cidr})?
      {vpc.subnetCount > 0 && ` Its ${vpc.subnetCount} subnet(s) are deleted with it.`}
    </ConfirmDialog>
  );
}

/** Delete Subnet; the server refuses while load balancers use it. */
export function DeleteSubnetDialog({ subnet, onClose }: { subnet: SubnetView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const remove = useMutation(trpc.subnet.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }));
  return (
    <ConfirmDialog title="Delete Subnet" confirmLabel="Delete" onClose={onClose} onConfirm={() => remove.mutate({ id: subnet.id })} pending={remove.isPending} error={remove.error}>
      Are you sure you want to delete subnet <strong>{subnet.name}</strong> ({subnet.cidr})?
    </ConfirmDialog>
  );
}
