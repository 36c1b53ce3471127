"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Card } from "@/app/_components/ui/status";
import { errorMessage } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { LoadBalancerView } from "@/server/services/load-balancer/load-balancer-view";
import { TagsEditor, type TagDraft } from "./tags-editor";
import { useRefreshLoadBalancers } from "./use-refresh-load-balancers";

/** The Tags tab: edit the tag list and save it in one change. */
export function TagsTab({ lb }: { lb: LoadBalancerView }) {
  const trpc = useTRPC();
  const refresh = useRefreshLoadBalancers();
  const [tags, setTags] = useState<TagDraft[]>(lb.tags);
  const mutation = useMutation(trpc.loadBalancer.update.mutationOptions({ onSuccess: () => refresh() }));
  const fieldErrors: Record<string, string> = {};
  const field = (mutation.error as { data?: { field?: string | null } } | null)?.data?.field;
  if (mutation.error && field) fieldErrors[field] = errorMessage(mutation.error);
  return (
    <Card title="Tags">
      <TagsEditor tags={tags} onChange={setTags} errors={fieldErrors} />
      {mutation.error && !field && (
        <p role="alert" className="mt-2 text-red-600">
          {errorMessage(mutation.error)}
        </p>
      )}
      <div className="mt-3">
        <Button disabled={mutation.isPending} onClick={() => mutation.mutate({ id: lb.id, tags })}>
          Save Tags
        </Button>
        {mutation.isSuccess && <span className="ml-2 text-emerald-600">Saved.</span>}
      </div>
    </Card>
  );
}
