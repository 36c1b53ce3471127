"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { DataTable, type Column } from "@/app/_components/data-table/data-table";
import { Button } from "@/app/_components/ui/button";
import { Badge, Card } from "@/app/_components/ui/status";
import { formatDateTime } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { UserView } from "@/server/services/user/list-users";
import { ChangeRoleDialog, CreateUserDialog, DeleteUserDialog, ResetPasswordDialog, roleLabel } from "./user-dialogs";
import { READ_ONLY_HINT } from "./use-settings-access";

type Action = { kind: "create" } | { kind: "reset"; user: UserView } | { kind: "role"; user: UserView } | { kind: "delete"; user: UserView } | null;

/** Console users: Administrator or Read-only. */
export function UsersTab() {
  const trpc = useTRPC();
  const scope = useQuery(trpc.scope.current.queryOptions());
  const users = useQuery(trpc.user.list.queryOptions());
  const [action, setAction] = useState<Action>(null);
  const me = scope.data?.user;
  const isAdmin = me?.role === "admin";
  const adminOnly = { disabled: !isAdmin, title: isAdmin ? undefined : READ_ONLY_HINT };
  const close = () => setAction(null);

  const columns: Column<UserView>[] = [
    {
      id: "username",
      header: "User Name",
      cell: (u) => (
        <>
          {u.username} {u.id === me?.id && <Badge>you</Badge>}
        </>
      ),
    },
    { id: "role", header: "Role", cell: (u) => roleLabel(u.role) },
    { id: "created", header: "Created", cell: (u) => formatDateTime(u.createdAt) },
    {
      id: "operation",
      header: "Operation",
      cell: (u) => (
        <span className="flex gap-3">
          <Button variant="link" {...adminOnly} aria-label={`Reset password of ${u.username}`} onClick={() => setAction({ kind: "reset", user: u })}>
            Reset Password
          </Button>
          <Button variant="link" disabled={!isAdmin || u.id === me?.id} title={u.id === me?.id ? "You cannot change your own role" : adminOnly.title} aria-label={`Change role of ${u.username}`} onClick={() => setAction({ kind: "role", user: u })}>
            Change Role
          </Button>
          <Button variant="link" disabled={!isAdmin || u.id === me?.id} title={u.id === me?.id ? "You cannot delete yourself" : adminOnly.title} aria-label={`Delete user ${u.username}`} onClick={() => setAction({ kind: "delete", user: u })}>
            Delete
          </Button>
        </span>
      ),
    },
  ];

  return (
    <Card
      title="Users"
      actions={
        <Button {...adminOnly} onClick={() => setAction({ kind: "create" })}>
          Create User
        </Button>
      }
    >
      <p className="mb-3 text-xs text-slate-500">Administrators change resources and settings; read-only users see everything and change nothing. Every change is recorded in Cloud Trace Service.</p>
      <DataTable label="Users" columns={columns} rows={users.data} getRowId={(u) => u.id} isLoading={users.isLoading} error={users.error} empty="No users." />
      {action?.kind === "create" && <CreateUserDialog onClose={close} />}
      {action?.kind === "reset" && <ResetPasswordDialog user={action.user} onClose={close} />}
      {action?.kind === "role" && <ChangeRoleDialog user={action.user} onClose={close} />}
      {action?.kind === "delete" && <DeleteUserDialog user={action.user} onClose={close} />}
    </Card>
  );
}
