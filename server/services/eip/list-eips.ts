import "server-only";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { listEipsSchema } from "./eip.schemas";
import { eipFilter, queryEipViews, type EipView } from "./eip-view";

/** One page of the EIP list of the current region (all enterprise projects), optionally of one pool. */
export async function listEips(ctx: ServiceContext, rawInput: unknown): Promise<{ items: EipView[]; total: number }> {
  const input = parseInput(listEipsSchema, rawInput ?? {});
  return queryEipViews(ctx.db, eipFilter(ctx.scope, input), { page: input.page, pageSize: input.pageSize });
}
