import "server-only";
import { and, asc, count, desc, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { eips, listeners, loadBalancers, loadBalancerTags, subnets, vpcs, type NetworkType } from "@/db/schema";
import type { Scope } from "../context";
import type { ListLoadBalancersInput } from "./load-balancer.schemas";
import { qualified } from "../qualified-column";
import { loadBalancerInScope } from "../scope/load-balancer-in-scope";
import { containsPattern } from "../like-pattern";

/** A load balancer as the list, the details page and the export show it. */
export interface LoadBalancerView {
  id: string;
  name: string;
  description: string;
  status: "running" | "stopped";
  networkType: NetworkType;
  vpcId: string;
  vpcName: string;
  subnetId: string;
  subnetName: string;
  privateIp: string;
  eip: { id: string; address: string; bandwidthMbit: number; type: string } | null;
  listenerCount: number;
  tags: { key: string; value: string }[];
  createdAt: Date;
  updatedAt: Date;
}

/** Builds the WHERE clause of the list filters (name, IP — private or EIP, tag "key" or "key=value"). */
function filterClause(scope: Scope, filters: ListLoadBalancersInput): SQL | undefined {
  const clauses: (SQL | undefined)[] = [loadBalancerInScope(scope)];
  if (filters.name) clauses.push(ilike(loadBalancers.name, containsPattern(filters.name)));
  if (filters.ip)
    clauses.push(
      or(
        ilike(loadBalancers.privateIp, containsPattern(filters.ip)),
        sql`exists (select 1 from ${eips} where ${qualified(eips.loadBalancerId)} = ${qualified(loadBalancers.id)} and ${qualified(eips.address)} ilike ${containsPattern(filters.ip)})`,
      ),
    );
  if (filters.tag) {
    const [key, value] = filters.tag.split("=", 2).map((s) => s.trim());
    const sameLoadBalancer = sql`${qualified(loadBalancerTags.loadBalancerId)} = ${qualified(loadBalancers.id)} and ${qualified(loadBalancerTags.key)} = ${key}`;
    clauses.push(
      value === undefined
        ? sql`exists (select 1 from ${loadBalancerTags} where ${sameLoadBalancer})`
        : sql`exists (select 1 from ${loadBalancerTags} where ${sameLoadBalancer} and ${qualified(loadBalancerTags.value)} = ${value})`,
    );
  }
  return and(...clauses);
}

const sortColumns = {
  name: loadBalancers.name,
  createdAt: loadBalancers.createdAt,
  privateIp: loadBalancers.privateIp,
  status: loadBalancers.status,
} as const;

/** Loads view rows for the filters; `paged` false returns every match (export). */
export async function queryLoadBalancerViews(
  db: Database,
  scope: Scope,
  filters: Required<Pick<ListLoadBalancersInput, "sortBy" | "sortDirection" | "page" | "pageSize">> & ListLoadBalancersInput,
  paged = true,
): Promise<{ items: LoadBalancerView[]; total: number }> {
  const where = filterClause(scope, filters);
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(loadBalancers).where(where);
  const order = filters.sortDirection === "asc" ? asc(sortColumns[filters.sortBy]) : desc(sortColumns[filters.sortBy]);
  let query = db
    .select({ lb: loadBalancers, vpcName: vpcs.name, subnetName: subnets.name })
    .from(loadBalancers)
    .innerJoin(vpcs, eq(vpcs.id, loadBalancers.vpcId))
    .innerJoin(subnets, eq(subnets.id, loadBalancers.subnetId))
    .where(where)
    .orderBy(order, asc(loadBalancers.id))
    .$dynamic();
  if (paged) query = query.limit(filters.pageSize).offset((filters.page - 1) * filters.pageSize);
  const rows = await query;
  return { items: await decorate(db, rows), total };
}

/** Loads one view by id within the scope, or null. */
export async function getLoadBalancerView(db: Database, scope: Scope, id: string): Promise<LoadBalancerView | null> {
  const rows = await db
    .select({ lb: loadBalancers, vpcName: vpcs.name, subnetName: subnets.name })
    .from(loadBalancers)
    .innerJoin(vpcs, eq(vpcs.id, loadBalancers.vpcId))
    .innerJoin(subnets, eq(subnets.id, loadBalancers.subnetId))
    .where(and(eq(loadBalancers.id, id), loadBalancerInScope(scope)));
  return (await decorate(db, rows))[0] ?? null;
}

type BaseRow = { lb: typeof loadBalancers.$inferSelect; vpcName: string; subnetName: string };

/** Adds EIP, tags and listener counts to base rows with three batched queries. */
async function decorate(db: Database, rows: BaseRow[]): Promise<LoadBalancerView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.lb.id);
  const [eipRows, tagRows, listenerRows] = await Promise.all([
    db.select().from(eips).where(inArray(eips.loadBalancerId, ids)),
    db.select().from(loadBalancerTags).where(inArray(loadBalancerTags.loadBalancerId, ids)).orderBy(asc(loadBalancerTags.key)),
    db.select({ id: listeners.loadBalancerId, n: count() }).from(listeners).where(inArray(listeners.loadBalancerId, ids)).groupBy(listeners.loadBalancerId),
  ]);
  return rows.map(({ lb, vpcName, subnetName }) => {
    const eip = eipRows.find((e) => e.loadBalancerId === lb.id);
    return {
      id: lb.id,
      name: lb.name,
      description: lb.description,
      status: lb.status,
      networkType: eip ? "public" : "private",
      vpcId: lb.vpcId,
      vpcName,
      subnetId: lb.subnetId,
      subnetName,
      privateIp: lb.privateIp,
      eip: eip ? { id: eip.id, address: eip.address, bandwidthMbit: eip.bandwidthMbit, type: eip.type } : null,
      listenerCount: listenerRows.find((l) => l.id === lb.id)?.n ?? 0,
      tags: tagRows.filter((t) => t.loadBalancerId === lb.id).map((t) => ({ key: t.key, value: t.value })),
      createdAt: lb.createdAt,
      updatedAt: lb.updatedAt,
    };
  });
}
