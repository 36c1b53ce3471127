"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_lib/trpc/react";

/** Refetches listeners, backend server groups, backend servers and the load balancer (listener count) after a change. */
export function useRefreshBackends() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.listener.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.pool.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.member.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.loadBalancer.pathKey() }),
    ]);
}
