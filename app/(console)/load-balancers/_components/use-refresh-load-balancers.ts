"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_lib/trpc/react";

/** Returns a function that refetches every load balancer query (after a successful change). */
export function useRefreshLoadBalancers() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.loadBalancer.pathKey() });
}
