import "server-only";
import { and, eq } from "drizzle-orm";
import { servers, subnets, vpcs } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { checkServerAddress } from "./check-server-address";
import { createServerSchema } from "./server.schemas";
import { queryServerViews, type ServerView } from "./server-view";

/**
 * Add Server to a subnet of the current region: a host address inside the subnet's block, unique in the
 * subnet. The subnet row is locked so two concurrent additions of one address cannot both pass.
 */
export async function createServer(ctx: ServiceContext, rawInput: unknown): Promise<ServerView> {
  const input = parseInput(createServerSchema, rawInput);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ subnet: subnets })
      .from(subnets)
      .innerJoin(vpcs, eq(vpcs.id, subnets.vpcId))
      .where(and(eq(subnets.id, input.subnetId), eq(vpcs.regionId, ctx.scope.regionId)))
      .for("update", { of: subnets });
    if (!row) throw new AppError("NOT_FOUND", "Subnet: the selected subnet does not exist in this region", "subnetId");
    await checkServerAddress(tx, row.subnet, input.address);
    const [server] = await tx.insert(servers).values({ subnetId: row.subnet.id, name: input.name, address: input.address }).returning({ id: servers.id });
    const [view] = await queryServerViews(tx, ctx.scope.regionId, eq(servers.id, server!.id));
    return view!;
  });
}
