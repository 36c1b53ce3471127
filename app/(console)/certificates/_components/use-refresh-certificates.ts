"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/app/_lib/trpc/react";

/** Refetches the certificate lists (this page and the listener forms' certificate selects). */
export function useRefreshCertificates() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.certificate.pathKey() });
}
