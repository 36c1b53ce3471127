import "server-only";
import { eq } from "drizzle-orm";
import { servers } from "@/db/schema";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { requireServer } from "./require-server";
import { serverIdSchema } from "./server.schemas";

/**
 * Deletes a server from the inventory. Allowed while it is a backend server of some group: a backend
 * server is its own address:port row (copied at Add time), so it stays and keeps receiving traffic.
 */
export async function deleteServer(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string }> {
  const { id } = parseInput(serverIdSchema, rawInput);
  return ctx.db.transaction(async (tx) => {
    const { server } = await requireServer(tx, ctx.scope, id);
    await tx.delete(servers).where(eq(servers.id, server.id));
    return { id: server.id, name: server.name };
  });
}
