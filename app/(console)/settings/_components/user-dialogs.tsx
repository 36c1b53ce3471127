"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Field, Input, Segmented } from "@/app/_components/ui/field";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { UserView } from "@/server/services/user/list-users";
import { PASSWORD_MIN } from "@/server/services/user/user.schemas";
import { ConfirmDialog } from "@/app/_components/ui/confirm-dialog";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { fieldError } from "@/app/_lib/form-errors";
import { useRefreshAll } from "./use-settings-access";

type Role = "admin" | "readonly";
const roleOptions: { value: Role; label: string }[] = [
  { value: "admin", label: "Administrator" },
  { value: "readonly", label: "Read-only" },
];
/** Label of a role as the console shows it. */
export const roleLabel = (role: Role) => (role === "admin" ? "Administrator" : "Read-only");

/** Create User: user name, role and an initial password. */
export function CreateUserDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const [username, setUsername] = useState("");
  const [role, setRole] = useState<Role>("readonly");
  const [password, setPassword] = useState("");
  const create = useMutation(
    trpc.user.create.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <FormDialog title="Create User" onClose={onClose} onSubmit={() => create.mutate({ username, role, password })} pending={create.isPending} error={create.error} fields={["username", "role", "password"]}>
      <Field label="User Name" htmlFor="user-name" required error={fieldError(create.error, "username")} hint="1–32 letters, digits, underscores (_), periods (.) and hyphens (-)">
        <Input id="user-name" value={username} autoComplete="off" onChange={(e) => setUsername(e.target.value)} autoFocus />
      </Field>
      <Field label="Role" required error={fieldError(create.error, "role")} hint="Read-only users see everything and change nothing.">
        <Segmented name="Role" value={role} options={roleOptions} onChange={setRole} />
      </Field>
      <Field label="Password" htmlFor="user-password" required error={fieldError(create.error, "password")} hint={`At least ${PASSWORD_MIN} characters`}>
        <Input id="user-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </Field>
    </FormDialog>
  );
}

/** Reset Password of a user (signs that user out of other sessions). */
export function ResetPasswordDialog({ user, onClose }: { user: UserView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const [password, setPassword] = useState("");
  const update = useMutation(
    trpc.user.update.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <FormDialog title="Reset Password" onClose={onClose} onSubmit={() => update.mutate({ id: user.id, password })} pending={update.isPending} error={update.error} fields={["password"]}>
      <Field label="User Name">
        <p className="pt-1.5">{user.username}</p>
      </Field>
      <Field label="New Password" htmlFor="reset-password" required error={fieldError(update.error, "password")} hint={`At least ${PASSWORD_MIN} characters. The user is logged out and must log in with the new password.`}>
        <Input id="reset-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus />
      </Field>
    </FormDialog>
  );
}

/** Change Role between Administrator and Read-only. */
export function ChangeRoleDialog({ user, onClose }: { user: UserView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const [role, setRole] = useState<Role>(user.role);
  const update = useMutation(
    trpc.user.update.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <FormDialog title="Change Role" onClose={onClose} onSubmit={() => update.mutate({ id: user.id, role })} pending={update.isPending} error={update.error} fields={["role"]}>
      <Field label="User Name">
        <p className="pt-1.5">{user.username}</p>
      </Field>
      <Field label="Role" required error={fieldError(update.error, "role")}>
        <Segmented name="Role" value={role} options={roleOptions} onChange={setRole} />
      </Field>
    </FormDialog>
  );
}

/** Delete User; the server refuses yourself and the last administrator. */
export function DeleteUserDialog({ user, onClose }: { user: UserView; onClose: () => void }) {
  const trpc = useTRPC();
  const refresh = useRefreshAll();
  const remove = useMutation(
    trpc.user.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog title="Delete User" confirmLabel="Delete" onClose={onClose} onConfirm={() => remove.mutate({ id: user.id })} pending={remove.isPending} error={remove.error}>
      Are you sure you want to delete user <strong>{user.username}</strong> ({roleLabel(user.role)})? Their traces are kept.
    </ConfirmDialog>
  );
}
