import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { loadBalancers, subnets } from "@/db/schema";
import { AppError } from "../../errors";
import { firstFreeHost, isIpv4, isUsableHost, parseIpv4Cidr } from "../../networking/cidr";

/**
 * Picks the private IP of a load balancer in a subnet: the lowest free usable address (automatic
 * allocation), or the requested address after checking that it lies in the subnet and is free. "Free"
 * means no load balancer anywhere holds it: every VIP is really bound on this host, so two VPCs with
 * overlapping ranges still cannot share an address. Call inside the creating transaction: the subnet row
 * is locked so concurrent creations take turns; the unique index on private_ip backs it up.
 */
export async function allocatePrivateIp(db: Database, subnetId: string, requested?: string): Promise<string> {
  const [subnet] = await db.select().from(subnets).where(eq(subnets.id, subnetId)).for("update");
  if (!subnet) throw new AppError("NOT_FOUND", "Subnet: the selected subnet does not exist", "subnetId");
  const block = parseIpv4Cidr(subnet.cidr);
  const used = new Set((await db.select({ ip: loadBalancers.privateIp }).from(loadBalancers)).map((r) => r.ip));
  if (requested) {
    if (!isIpv4(requested)) throw new AppError("BAD_REQUEST", `Private IP Address: "${requested}" is not a valid IPv4 address`, "privateIp");
    if (!isUsableHost(block, requested))
      throw new AppError("BAD_REQUEST", `Private IP Address: ${requested} is not a usable address of subnet ${subnet.name} (${block.cidr})`, "privateIp");
    if (used.has(requested)) throw new AppError("CONFLICT", `Private IP Address: ${requested} is already used by another load balancer`, "privateIp");
    return requested;
  }
  const free = firstFreeHost(block, used);
  if (!free) throw new AppError("CONFLICT", `Subnet: no free IP address left in ${subnet.name} (${block.cidr})`, "subnetId");
  return free;
}
