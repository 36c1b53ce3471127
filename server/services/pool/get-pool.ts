import "server-only";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { poolIdSchema } from "./pool.schemas";
import { getPoolView, type PoolView } from "./pool-view";

/** Basic Information of one backend server group. */
export async function getPool(ctx: ServiceContext, rawInput: unknown): Promise<PoolView> {
  const { id } = parseInput(poolIdSchema, rawInput);
  const view = await getPoolView(ctx.db, ctx.scope, id);
  if (!view) throw new AppError("NOT_FOUND", "Backend Server Group: not found (it may have been deleted)", "id");
  return view;
}
