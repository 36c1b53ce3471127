"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmDialog } from "@/app/_components/ui/confirm-dialog";
import { Field, Input, Select } from "@/app/_components/ui/field";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { fieldError } from "@/app/_lib/form-errors";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { ServerView } from "@/server/services/server/server-view";
import { useRefreshAll } from "./use-settings-access";

/** A subnet the Add Server dialog offers, with its VPC for the label. */
export interface SubnetChoice {
  id: string;
  name: string;
  cidr: string;
  vpcName: string;
}

/** Add Server: Subnet, Name and IP Address (a host address inside the subnet's block). */
export function CreateServerDialog({ subnets, initialSubnetId, onClose }: { subnets: SubnetChoice[]; initialSubnetId?: string; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const [subnetId, setSubnetId] = useState(initialSubnetId ?? subnets[0]?.id ?? "");
  const [name, setName] = useState("");
  const [address, setAddress] = useState("");
  const subnet = subnets.find((s) => s.id === subnetId);
  const create = useMutation(
    trpc.server.create.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <FormDialog title="Add Server" onClose={onClose} onSubmit={() => create.mutate({ subnetId, name, address })} pending={create.isPending} error={create.error} fields={["subnetId", "name", "address"]}>
      <Field label="Subnet" htmlFor="server-subnet" required error={fieldError(create.error, "subnetId")}>
        <Select id="server-subnet" value={subnetId} onChange={(e) => setSubnetId(e.target.value)}>
          {subnets.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.cidr}, {s.vpcName})
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Name" htmlFor="server-name" required error={fieldError(create.error, "name")} hint="1–64 letters, digits, underscores (_), hyphens (-) and periods (.)">
        <Input id="server-name" value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      </Field>
      <Field label="IP Address" htmlFor="server-address" required error={fieldError(create.error, "address")} hint={subnet ? `An IPv4 host address inside ${subnet.cidr}.` : undefined}>
        <Input id="server-address" value={address} placeholder={subnet?.cidr.replace(/\.0\/\d+$/, ".10")} onChange={(e) => setAddress(e.target.value)} />
      </Field>
    </FormDialog>
  );
}

/** Delete a server from the inventory; backend servers added from it stay. */
export function DeleteServerDialog({ server, onClose }: { server: ServerView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const remove = useMutation(
    trpc.server.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog title="Delete Server" confirmLabel="Delete" onClose={onClose} onConfirm={() => remove.mutate({ id: server.id })} pending={remove.isPending} error={remove.error}>
      Are you sure you want to delete server <strong>{server.name}</strong> ({server.address}) of subnet {server.subnet.name}?
      {server.memberCount > 0 && ` It is used by ${server.memberCount} backend server(s); they keep its address and stay in their groups.`}
    </ConfirmDialog>
  );
}
