import "server-only";
import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { userIdSchema } from "./user.schemas";
import { lockUser } from "./lock-user";

/** Deletes a user (and its sessions); never yourself, never the last administrator. */
export async function deleteUser(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string }> {
  const { id } = parseInput(userIdSchema, rawInput);
  return ctx.db.transaction(async (tx) => {
    const { user, adminCount } = await lockUser(tx, id);
    if (user.id === ctx.user.id) throw new AppError("PRECONDITION_FAILED", "You cannot delete the user you are logged in as");
    if (user.role === "admin" && adminCount <= 1) throw new AppError("PRECONDITION_FAILED", `User ${user.username} is the last administrator and cannot be deleted`);
    await tx.delete(users).where(eq(users.id, user.id));
    return { id: user.id, name: user.username };
  });
}
