import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { users } from "@/db/schema";
import { AppError } from "../errors";
import { parseInput } from "../validation";
import { PASSWORD_MAX } from "../services/user/user.schemas";
import { currentHashParams, hashPassword, needsRehash, verifyPassword } from "./password";
import { loginThrottle, type LoginThrottle, type ThrottleRefusal } from "./login-throttle";
import { createSession } from "./sessions";

const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;

/** Login form input (bounded; no control characters in the user name). */
export const logInSchema = z.object({
  username: z
    .string({ error: "Username: enter your user name" })
    .trim()
    .min(1, "Username: enter your user name")
    .max(64, "Username: can contain at most 64 characters")
    .regex(NO_CONTROL_CHARACTERS, "Username: must not contain control characters"),
  password: z
    .string({ error: "Password: enter your password" })
    .min(1, "Password: enter your password")
    .max(PASSWORD_MAX, `Password: can contain at most ${PASSWORD_MAX} characters`),
});

/** A log-in refused by the throttle; `retryAfterMs` says how long to wait. */
export class LoginThrottledError extends AppError {
  constructor(readonly refusal: ThrottleRefusal) {
    const seconds = Math.ceil(refusal.waitMs / 1000);
    const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} minute(s)` : `${seconds} second(s)`;
    const who = refusal.scope === "address" ? "from your address" : "for this user";
    super("FORBIDDEN", `Too many failed log-in attempts ${who}. Try again in ${wait}.`);
    this.name = "LoginThrottledError";
  }
}

/** Hashes to check against when the user does not exist (per cost), so both failures take the same time. */
const dummyHashes = new Map<number, Promise<string>>();
const dummyHash = () => {
  const params = currentHashParams();
  if (!dummyHashes.has(params.N)) dummyHashes.set(params.N, hashPassword("no such user", params));
  return dummyHashes.get(params.N)!;
};

/**
 * Checks credentials and opens a session. Unknown user and wrong password get the same message and take
 * the same time; repeated failures delay the user name and limit the address (`LoginThrottle`).
 */
export async function logIn(db: Database, rawInput: unknown, sourceIp = "unknown", throttle: LoginThrottle = loginThrottle) {
  const input = parseInput(logInSchema, rawInput);
  const refusal = await throttle.begin(db, sourceIp, input.username);
  if (refusal) throw new LoginThrottledError(refusal);
  const [user] = await db.select().from(users).where(eq(users.username, input.username));
  const valid = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !valid) throw new AppError("UNAUTHORIZED", "Incorrect user name or password");
  await throttle.succeeded(db, sourceIp, input.username);
  if (needsRehash(user.passwordHash)) {
    // Compare-and-set: a password changed meanwhile is not overwritten with the old one.
    const rehashed = await hashPassword(input.password);
    await db.update(users).set({ passwordHash: rehashed }).where(and(eq(users.id, user.id), eq(users.passwordHash, user.passwordHash)));
  }
  const session = await createSession(db, user.id);
  return { ...session, user: { id: user.id, username: user.username, role: user.role } };
}
