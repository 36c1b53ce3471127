import "server-only";
import { and, eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { hashPassword, verifyPassword } from "../../auth/password";
import { deleteOtherSessions } from "../../auth/sessions";
import { loginThrottle, type LoginThrottle } from "../../auth/login-throttle";
import { LoginThrottledError } from "../../auth/log-in";
import type { ServiceContext } from "../context";
import { changePasswordSchema } from "./user.schemas";

/**
 * Change Password for the signed-in user (read-only users too): the current password is required, the
 * new one follows the policy. Ends the user's other sessions and keeps the current one, in one transaction.
 * Wrong current passwords count as failed log-ins of the user name (a stolen session cannot guess faster).
 */
export async function changeOwnPassword(ctx: ServiceContext, rawInput: unknown, throttle: LoginThrottle = loginThrottle): Promise<{ id: string; name: string }> {
  const input = parseInput(changePasswordSchema, rawInput);
  // The address bucket is per user here (services do not see the source address).
  const bucket = `change-password:${ctx.user.id}`;
  const refusal = await throttle.begin(ctx.db, bucket, ctx.user.username);
  if (refusal) throw new LoginThrottledError(refusal);
  const [user] = await ctx.db.select().from(users).where(eq(users.id, ctx.user.id));
  if (!user) throw new AppError("NOT_FOUND", "User: not found", "id");
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) throw new AppError("BAD_REQUEST", "Current Password: incorrect", "currentPassword");
  await throttle.succeeded(ctx.db, bucket, ctx.user.username);
  const passwordHash = await hashPassword(input.newPassword);
  return ctx.db.transaction(async (tx) => {
    // Compare-and-set: if the password changed while we hashed, the current password checked is stale.
    const updated = await tx
      .update(users)
      .set({ passwordHash })
      .where(and(eq(users.id, user.id), eq(users.passwordHash, user.passwordHash)))
      .returning({ id: users.id });
    if (updated.length === 0) throw new AppError("CONFLICT", "Current Password: the password was changed meanwhile; try again", "currentPassword");
    await deleteOtherSessions(tx, user.id, ctx.user.sessionId);
    return { id: user.id, name: user.username };
  });
}
