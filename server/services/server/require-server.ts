import "server-only";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { servers, subnets, vpcs } from "@/db/schema";
import { AppError } from "../../errors";
import type { Scope } from "../context";

/** Loads a server of the current region with its subnet, locking the server row; 404 otherwise. */
export async function requireServer(db: Database, scope: Scope, id: string) {
  const [row] = await db
    .select({ server: servers, subnet: subnets })
    .from(servers)
    .innerJoin(subnets, eq(subnets.id, servers.subnetId))
    .innerJoin(vpcs, eq(vpcs.id, subnets.vpcId))
    .where(and(eq(servers.id, id), eq(vpcs.regionId, scope.regionId)))
    .for("update", { of: servers });
  if (!row) throw new AppError("NOT_FOUND", "Server: not found in this region", "id");
  return row;
}
