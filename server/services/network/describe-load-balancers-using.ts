import "server-only";
import { asc, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { loadBalancers } from "@/db/schema";

/**
 * "2 load balancer(s) (web, api)": the load balancers matching `where`, for messages that refuse a delete
 * (at most three names are spelled out). Empty string when none.
 */
export async function describeLoadBalancersUsing(db: Database, where: SQL): Promise<string> {
  const rows = await db.select({ name: loadBalancers.name }).from(loadBalancers).where(where).orderBy(asc(loadBalancers.name));
  if (!rows.length) return "";
  const names = rows.slice(0, 3).map((r) => r.name);
  return `${rows.length} load balancer(s) (${names.join(", ")}${rows.length > 3 ? ", …" : ""})`;
}
