import "server-only";
import { eq } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database } from "@/db/client";
import { alarmRules, certificates, eipPools, eips, forwardingPolicies, listeners, loadBalancers, logGroups, logStreams, members, pools, projects, redirects, regions, servers, subnets, users, vpcs } from "@/db/schema";

/** Where the display name of each traced resource type lives (an EIP is named by its address). */
const nameColumns: Record<string, { table: PgTable; id: PgColumn; name: PgColumn }> = {
  loadbalancer: { table: loadBalancers, id: loadBalancers.id, name: loadBalancers.name },
  listener: { table: listeners, id: listeners.id, name: listeners.name },
  pool: { table: pools, id: pools.id, name: pools.name },
  member: { table: members, id: members.id, name: members.name },
  vpc: { table: vpcs, id: vpcs.id, name: vpcs.name },
  subnet: { table: subnets, id: subnets.id, name: subnets.name },
  server: { table: servers, id: servers.id, name: servers.name },
  eippool: { table: eipPools, id: eipPools.id, name: eipPools.name },
  eip: { table: eips, id: eips.id, name: eips.address },
  region: { table: regions, id: regions.id, name: regions.name },
  project: { table: projects, id: projects.id, name: projects.name },
  user: { table: users, id: users.id, name: users.username },
  certificate: { table: certificates, id: certificates.id, name: certificates.name },
  l7policy: { table: forwardingPolicies, id: forwardingPolicies.id, name: forwardingPolicies.name },
  redirect: { table: redirects, id: redirects.id, name: redirects.name },
  alarmrule: { table: alarmRules, id: alarmRules.id, name: alarmRules.name },
  loggroup: { table: logGroups, id: logGroups.id, name: logGroups.name },
  logstream: { table: logStreams, id: logStreams.id, name: logStreams.name },
};

/**
 * The name of a resource by type and id, for traces of refused operations (whose response carries no
 * name). null when unknown or gone; never throws.
 */
export async function lookupResourceName(db: Database, resourceType: string, id: string): Promise<string | null> {
  const source = nameColumns[resourceType];
  if (!source) return null;
  try {
    const [row] = await db.select({ name: source.name }).from(source.table).where(eq(source.id, id)).limit(1);
    return typeof row?.name === "string" ? row.name : null;
  } catch {
    return null;
  }
}
