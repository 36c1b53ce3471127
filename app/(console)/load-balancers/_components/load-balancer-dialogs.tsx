"use client";
import type { LoadBalancerView } from "@/server/services/load-balancer/load-balancer-view";
import { BindEipDialog } from "./bind-eip-dialog";
import { DeleteLoadBalancerDialog } from "./delete-load-balancer-dialog";
import { ModifyBandwidthDialog } from "./modify-bandwidth-dialog";
import { UnbindEipDialog } from "./unbind-eip-dialog";

/** Which operation dialog is open, for which load balancer. */
export type LoadBalancerAction = { kind: "modify-bandwidth" | "bind-eip" | "unbind-eip" | "delete"; lb: LoadBalancerView } | null;

/** Renders the dialog of the chosen operation (shared by the list and the details page). */
export function LoadBalancerDialogs({ action, onClose, onDeleted }: { action: LoadBalancerAction; onClose: () => void; onDeleted?: () => void }) {
  if (!action) return null;
  switch (action.kind) {
    case "modify-bandwidth":
      return <ModifyBandwidthDialog lb={action.lb} onClose={onClose} />;
    case "bind-eip":
      return <BindEipDialog lb={action.lb} onClose={onClose} />;
    case "unbind-eip":
      return <UnbindEipDialog lb={action.lb} onClose={onClose} />;
    case "delete":
      return <DeleteLoadBalancerDialog lb={action.lb} onClose={onClose} onDeleted={onDeleted} />;
  }
}
