"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { useTRPC } from "@/app/_lib/trpc/react";
import { updateMemberSchema } from "@/server/services/member/member.schemas";
import type { MemberView } from "@/server/services/member/list-members";
import { numberOf, serverError } from "@/app/_lib/form-errors";
import { useRefreshBackends } from "./use-refresh-backends";

/** The Weight column (guide 3.4): click the number, set 0–100, click OK. */
export function WeightCell({ member }: { member: MemberView }) {
  const trpc = useTRPC();
  const refresh = useRefreshBackends();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(String(member.weight));
  const [error, setError] = useState<string | null>(null);
  const mutation = useMutation(
    trpc.member.update.mutationOptions({
      onSuccess: async () => {
        setEditing(false);
        await refresh();
      },
      onError: (e) => setError(serverError(e).message),
    }),
  );
  if (!editing)
    return (
      <button className="text-brand hover:underline" aria-label={`Weight of ${member.name}: ${member.weight}`} onClick={() => (setValue(String(member.weight)), setError(null), setEditing(true))}>
        {member.weight}
      </button>
    );
  const save = () => {
    const input = { id: member.id, weight: numberOf(value) };
    const result = updateMemberSchema.safeParse(input);
    if (!result.success) return setError(result.error.issues[0]!.message);
    mutation.mutate(input);
  };
  return (
    <div>
      <div className="flex items-center gap-2">
        <input
          aria-label="Weight"
          type="number"
          min={0}
          max={100}
          autoFocus
          value={value}
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={(e) => (e.key === "Enter" ? save() : e.key === "Escape" ? setEditing(false) : undefined)}
          className="w-20 rounded border border-slate-300 px-2 py-1 text-sm"
        />
        <Button variant="link" disabled={mutation.isPending} onClick={save}>
          OK
        </Button>
        <Button variant="link" onClick={() => setEditing(false)}>
          Cancel
        </Button>
      </div>
      {error && (
        <p role="alert" className="mt-1 text-xs text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}
