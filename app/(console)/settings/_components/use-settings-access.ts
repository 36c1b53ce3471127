"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_lib/trpc/react";

/** Whether the signed-in user may change settings (administrators only; the server enforces it too). */
export function useIsAdministrator(): boolean {
  const trpc = useTRPC();
  const { data } = useQuery(trpc.scope.current.queryOptions());
  return data?.user.role === "admin";
}

/**
 * Refetches everything after a settings change: networks, regions and projects also feed the scope
 * selector and the load balancer forms, so a narrower invalidation would leave them stale.
 */
export function useRefreshAll() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries();
}

/** Tooltip on actions a read-only user cannot run. */
export const READ_ONLY_HINT = "Read-only users cannot change settings";
