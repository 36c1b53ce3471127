"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_lib/trpc/react";

/** Refetches log groups, log streams and the access log settings that show their names. */
export function useRefreshLogManagement() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.logGroup.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.logStream.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.accessLog.pathKey() }),
    ]);
}
