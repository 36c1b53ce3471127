"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { Field, Input } from "@/app/_components/ui/field";
import { errorMessage } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { LoadBalancerView } from "@/server/services/load-balancer/load-balancer-view";
import { BANDWIDTH_MAX, BANDWIDTH_MIN } from "@/server/services/load-balancer/load-balancer.schemas";
import { useRefreshLoadBalancers } from "./use-refresh-load-balancers";

/** Modify Bandwidth (guide 2.4): New Configuration → Next → Submit. */
export function ModifyBandwidthDialog({ lb, onClose }: { lb: LoadBalancerView; onClose: () => void }) {
  const [bandwidth, setBandwidth] = useState(String(lb.eip?.bandwidthMbit ?? 1));
  const [step, setStep] = useState<"configure" | "confirm">("configure");
  const trpc = useTRPC();
  const refresh = useRefreshLoadBalancers();
  const mutation = useMutation(
    trpc.loadBalancer.modifyBandwidth.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
    }),
  );
  const value = Number(bandwidth);
  const invalid = !Number.isInteger(value) || value < BANDWIDTH_MIN || value > BANDWIDTH_MAX ? `Bandwidth: must be between ${BANDWIDTH_MIN} and ${BANDWIDTH_MAX} Mbit/s` : null;
  return (
    <Dialog
      open
      title="Modify Bandwidth"
      onClose={onClose}
      footer={
        step === "configure" ? (
          <>
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button disabled={!!invalid} onClick={() => setStep("confirm")}>
              Next
            </Button>
          </>
        ) : (
          <>
            <Button variant="secondary" onClick={() => setStep("configure")}>
              Previous
            </Button>
            <Button disabled={mutation.isPending} onClick={() => mutation.mutate({ id: lb.id, bandwidthMbit: value })}>
              Submit
            </Button>
          </>
        )
      }
    >
      <p className="mb-2 text-slate-600">
        Load balancer <strong>{lb.name}</strong>, EIP {lb.eip?.address}, current bandwidth {lb.eip?.bandwidthMbit} Mbit/s.
      </p>
      {step === "configure" ? (
        <>
          <h3 className="mt-3 font-medium">New Configuration</h3>
          <Field label="Bandwidth (Mbit/s)" htmlFor="bandwidth" error={invalid} hint={`${BANDWIDTH_MIN}–${BANDWIDTH_MAX} Mbit/s`}>
            <Input id="bandwidth" type="number" min={BANDWIDTH_MIN} max={BANDWIDTH_MAX} value={bandwidth} onChange={(e) => setBandwidth(e.target.value)} />
          </Field>
        </>
      ) : (
        <p>
          Bandwidth: {lb.eip?.bandwidthMbit} Mbit/s → <strong>{value} Mbit/s</strong>
        </p>
      )}
      {mutation.error && (
        <p role="alert" className="mt-2 text-red-600">
          {errorMessage(mutation.error)}
        </p>
      )}
    </Dialog>
  );
}
