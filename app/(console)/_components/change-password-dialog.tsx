"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Field, Input } from "@/app/_components/ui/field";
import { FormDialog } from "@/app/_components/ui/form-dialog";
import { useTRPC } from "@/app/_lib/trpc/react";
import { fieldError } from "@/app/_lib/form-errors";
import { PASSWORD_MIN } from "@/server/services/user/user.schemas";

/** Change Password of the signed-in user (any role): current password, new password twice; other sessions end. */
export function ChangePasswordDialog({ onClose, onChanged }: { onClose: () => void; onChanged: () => void }) {
  const trpc = useTRPC();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation(trpc.user.changePassword.mutationOptions({ onSuccess: onChanged }));
  const submit = () => {
    setMismatch(newPassword !== confirm);
    if (newPassword === confirm) change.mutate({ currentPassword, newPassword });
  };
  return (
    <FormDialog title="Change Password" onClose={onClose} onSubmit={submit} pending={change.isPending} error={change.error} fields={["currentPassword", "newPassword"]}>
      <Field label="Current Password" htmlFor="current-password" required error={fieldError(change.error, "currentPassword")}>
        <Input id="current-password" type="password" autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrentPassword(e.target.value)} autoFocus />
      </Field>
      <Field label="New Password" htmlFor="new-password" required error={fieldError(change.error, "newPassword")} hint={`At least ${PASSWORD_MIN} characters. Your other sessions are logged out.`}>
        <Input id="new-password" type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNewPassword(e.target.value)} />
      </Field>
      <Field label="Confirm Password" htmlFor="confirm-password" required error={mismatch ? "Confirm Password: does not match the new password" : undefined}>
        <Input id="confirm-password" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
      </Field>
    </FormDialog>
  );
}
