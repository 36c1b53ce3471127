import "server-only";
import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { hashPassword } from "../../auth/password";
import { deleteOtherSessions } from "../../auth/sessions";
import type { ServiceContext } from "../context";
import { updateUserSchema } from "./user.schemas";
import { lockUser } from "./lock-user";
import type { UserView } from "./list-users";

/**
 * Reset Password and/or Change Role. A reset signs the user out everywhere (resetting your own keeps
 * only your current session); you cannot change your own role, and the last administrator stays an administrator.
 */
export async function updateUser(ctx: ServiceContext, rawInput: unknown): Promise<UserView> {
  const input = parseInput(updateUserSchema, rawInput);
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const { user, adminCount } = await lockUser(tx, input.id);
    const self = user.id === ctx.user.id;
    if (input.role !== undefined && input.role !== user.role) {
      if (self) throw new AppError("FORBIDDEN", "Role: you cannot change your own role", "role");
      if (user.role === "admin" && adminCount <= 1) throw new AppError("PRECONDITION_FAILED", `Role: ${user.username} is the last administrator and must stay one`, "role");
    }
    const changes: Partial<typeof users.$inferInsert> = {};
    if (input.role !== undefined) changes.role = input.role;
    if (passwordHash) changes.passwordHash = passwordHash;
    const [updated] = await tx.update(users).set(changes).where(eq(users.id, user.id)).returning();
    // A reset ends the user's sessions; resetting your own keeps the session you are using.
    if (passwordHash) await deleteOtherSessions(tx, user.id, self ? ctx.user.sessionId : undefined);
    return { id: updated!.id, name: updated!.username, username: updated!.username, role: updated!.role, createdAt: updated!.createdAt };
  });
}
