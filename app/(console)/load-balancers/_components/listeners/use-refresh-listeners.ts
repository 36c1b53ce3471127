"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_lib/trpc/react";

/**
 * Refetches what a listener change can alter: listeners (their SNI, access control, redirect and policy
 * count), redirects, forwarding policies, backend server groups (a policy's new group), backend servers
 * and the load balancer (listener count).
 */
export function useRefreshListeners() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all(
      [trpc.listener, trpc.redirect, trpc.forwardingPolicy, trpc.pool, trpc.member, trpc.loadBalancer].map((router) => queryClient.invalidateQueries({ queryKey: router.pathKey() })),
    );
}
