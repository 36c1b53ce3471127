import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { healthMonitors, loadBalancers, members, pools } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { listMembersSchema } from "./member.schemas";
import { memberHealthStatus, memberPassiveHealth, type MemberHealthStatus, type MemberPassiveHealth } from "./member-health";
import { loadBalancerInScope } from "../scope/load-balancer-in-scope";

/** A backend server as the server list of a backend server group shows it. */
export interface MemberView {
  id: string;
  poolId: string;
  name: string;
  address: string;
  port: number;
  weight: number;
  /** Live health (refetched every 2 s by the console). */
  health: MemberHealthStatus;
  /** Passive health (failed connects seen by the proxy, ejection); null when there is nothing to show. */
  passiveHealth: MemberPassiveHealth | null;
  createdAt: Date;
}

/** The backend servers of one group with their health (from `ctx.engine`), in address:port order. */
export async function listMembers(ctx: ServiceContext, rawInput: unknown): Promise<MemberView[]> {
  const { poolId } = parseInput(listMembersSchema, rawInput);
  const [pool] = await ctx.db
    .select({ id: pools.id })
    .from(pools)
    .innerJoin(loadBalancers, eq(loadBalancers.id, pools.loadBalancerId))
    .where(and(eq(pools.id, poolId), loadBalancerInScope(ctx.scope)));
  if (!pool) throw new AppError("NOT_FOUND", "Backend Server Group: not found (it may have been deleted)", "poolId");
  const [monitor] = await ctx.db.select({ enabled: healthMonitors.enabled }).from(healthMonitors).where(eq(healthMonitors.poolId, poolId));
  const rows = await ctx.db.select().from(members).where(eq(members.poolId, poolId)).orderBy(asc(members.address), asc(members.port), asc(members.id));
  return rows.map((m) => ({
    id: m.id,
    poolId: m.poolId,
    name: m.name,
    address: m.address,
    port: m.port,
    weight: m.weight,
    health: memberHealthStatus(monitor?.enabled ?? false, ctx.engine, m.id),
    passiveHealth: memberPassiveHealth(ctx.engine, m.id),
    createdAt: m.createdAt,
  }));
}
