import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { users } from "@/db/schema";
import { AppError } from "../errors";
import { parseInput } from "../validation";
import { verifyPassword } from "./password";
import { createSession } from "./sessions";

/** Login form input. */
export const logInSchema = z.object({
  username: z.string().trim().min(1, "Username: enter your user name"),
  password: z.string().min(1, "Password: enter your password"),
});

/** Checks credentials and opens a session; the same message for unknown user and wrong password. */
export async function logIn(db: Database, rawInput: unknown) {
  const input = parseInput(logInSchema, rawInput);
  const [user] = await db.select().from(users).where(eq(users.username, input.username));
  if (!user || !(await verifyPassword(input.password, user.passwordHash))) throw new AppError("UNAUTHORIZED", "Incorrect user name or password");
  const session = await createSession(db, user.id);
  return { ...session, user: { id: user.id, username: user.username, role: user.role } };
}
