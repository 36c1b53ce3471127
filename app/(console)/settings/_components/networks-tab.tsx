"use client";
import { EipPoolSection } from "./eip-pool-section";
import { ServerSection } from "./server-section";
import { VpcSection } from "./vpc-section";

/** VPCs with subnets, and EIP pools with EIPs, of the region selected in the top bar. */
export function NetworksTab() {
  return (
    <div className="space-y-6">
      <p className="text-xs text-slate-500">
        Networks of the selected region. Load balancers take their private IP from a subnet and their EIP from an EIP pool; the addresses must exist on the engine hosts (on one Linux host, any
        127.0.0.0/8 range does).
      </p>
      <VpcSection />
      <ServerSection />
      <EipPoolSection />
    </div>
  );
}
