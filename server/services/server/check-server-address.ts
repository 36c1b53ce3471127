import "server-only";
import { and, eq, ne } from "drizzle-orm";
import type { Database } from "@/db/client";
import { loadBalancers, servers, subnets } from "@/db/schema";
import { AppError } from "../../errors";
import { ipv4FromNumber, isUsableHost, parseIpv4Cidr } from "../../networking/cidr";

type Subnet = typeof subnets.$inferSelect;

/**
 * Refuses an address that is not a usable host of the subnet (not the network, gateway or broadcast
 * address), that another server of the subnet has, or that is a load balancer's private IP.
 * `exceptId` is the server being modified.
 */
export async function checkServerAddress(db: Database, subnet: Subnet, address: string, exceptId?: string): Promise<void> {
  const block = parseIpv4Cidr(subnet.cidr);
  if (!isUsableHost(block, address)) {
    const small = block.last - block.first < 4;
    const range = `${ipv4FromNumber(block.first + (small ? 1 : 2))}–${ipv4FromNumber(block.last - (small ? 0 : 1))}`;
    throw new AppError("BAD_REQUEST", `IP Address: ${address} must be a host address of subnet ${subnet.name} (${subnet.cidr}): ${range}`, "address");
  }
  const sameAddress = and(eq(servers.subnetId, subnet.id), eq(servers.address, address), exceptId ? ne(servers.id, exceptId) : undefined);
  const [twin] = await db.select({ name: servers.name }).from(servers).where(sameAddress);
  if (twin) throw new AppError("CONFLICT", `IP Address: ${address} is already server ${twin.name} of subnet ${subnet.name}`, "address");
  const [lb] = await db.select({ name: loadBalancers.name }).from(loadBalancers).where(and(eq(loadBalancers.subnetId, subnet.id), eq(loadBalancers.privateIp, address)));
  if (lb) throw new AppError("CONFLICT", `IP Address: ${address} is the private IP of load balancer ${lb.name}`, "address");
}
