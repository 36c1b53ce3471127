import "server-only";
import type { LoadBalancerView } from "./load-balancer-view";

/**
 * The columns of the Load Balancers list, in order, as plain text. The export writes exactly these, so
 * the downloaded file holds every column of the list.
 */
export const loadBalancerColumns: { header: string; text: (lb: LoadBalancerView) => string }[] = [
  { header: "Name", text: (lb) => lb.name },
  { header: "ID", text: (lb) => lb.id },
  { header: "Status", text: (lb) => (lb.status === "running" ? "Running" : "Stopped") },
  { header: "Network Type", text: (lb) => (lb.networkType === "public" ? "Public network" : "Private network") },
  { header: "VPC", text: (lb) => lb.vpcName },
  { header: "Private IP Address", text: (lb) => lb.privateIp },
  { header: "EIP", text: (lb) => lb.eip?.address ?? "" },
  { header: "Bandwidth (Mbit/s)", text: (lb) => (lb.eip ? String(lb.eip.bandwidthMbit) : "") },
  { header: "Listeners", text: (lb) => String(lb.listenerCount) },
  { header: "Tags", text: (lb) => lb.tags.map((t) => `${t.key}=${t.value}`).join(", ") },
  { header: "Description", text: (lb) => lb.description },
  { header: "Created", text: (lb) => lb.createdAt.toISOString() },
];
