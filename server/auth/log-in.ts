import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { users } from "@/db/schema";
import { AppError } from "../errors";
import { parseInput } from "../validation";
import { hashPassword, verifyPassword } from "./password";
import { loginThrottle, type LoginThrottle } from "./login-throttle";
import { createSession } from "./sessions";

/** Login form input. */
export const logInSchema = z.object({
  username: z.string().trim().min(1, "Username: enter your user name"),
  password: z.string().min(1, "Password: enter your password"),
});

/** A hash to check against when the user does not exist, so both failures take the same time. */
let dummyHash: Promise<string> | undefined;

/**
 * Checks credentials and opens a session. Unknown user and wrong password get the same message and take
 * the same time; repeated failures from one address for one user name are refused for a while.
 */
export async function logIn(db: Database, rawInput: unknown, sourceIp = "unknown", throttle: LoginThrottle = loginThrottle) {
  const input = parseInput(logInSchema, rawInput);
  const waitMs = throttle.retryAfterMs(sourceIp, input.username);
  if (waitMs > 0) throw new AppError("FORBIDDEN", `Too many failed log-in attempts. Try again in ${Math.ceil(waitMs / 60_000)} minute(s).`);
  const [user] = await db.select().from(users).where(eq(users.username, input.username));
  const valid = await verifyPassword(input.password, user?.passwordHash ?? (await (dummyHash ??= hashPassword("no such user"))));
  if (!user || !valid) {
    throttle.recordFailure(sourceIp, input.username);
    throw new AppError("UNAUTHORIZED", "Incorrect user name or password");
  }
  throttle.recordSuccess(sourceIp, input.username);
  const session = await createSession(db, user.id);
  return { ...session, user: { id: user.id, username: user.username, role: user.role } };
}
