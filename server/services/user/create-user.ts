import "server-only";
import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { hashPassword } from "../../auth/password";
import type { ServiceContext } from "../context";
import { createUserSchema } from "./user.schemas";
import type { UserView } from "./list-users";

/** Create User: a unique user name, a role and a password (stored as a scrypt hash only). */
export async function createUser(ctx: ServiceContext, rawInput: unknown): Promise<UserView> {
  const input = parseInput(createUserSchema, rawInput);
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const [same] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username));
    if (same) throw new AppError("CONFLICT", `User name: ${input.username} already exists`, "username");
    const [user] = await tx.insert(users).values({ username: input.username, role: input.role, passwordHash }).returning();
    return { id: user!.id, name: user!.username, username: user!.username, role: user!.role, createdAt: user!.createdAt };
  });
}
