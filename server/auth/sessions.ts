import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt, ne } from "drizzle-orm";
import type { Database } from "@/db/client";
import { sessions, users, type UserRole } from "@/db/schema";

/** Name of the HttpOnly session cookie. */
export const SESSION_COOKIE = "elb_session";
/** Session lifetime: 12 hours. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** The signed-in user as the console sees it. */
export interface SessionUser {
  id: string;
  username: string;
  role: UserRole;
  /** The session's row id (sha256 of the cookie token, never the token): lets a password change keep this session. */
  sessionId?: string;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Creates a session for a user; returns the cookie token (only its hash is stored). */
export async function createSession(db: Database, userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
  await db.insert(sessions).values({ id: hashToken(token), userId, expiresAt });
  return { token, expiresAt };
}

/** Resolves a cookie token to its user, or null when missing/expired. */
export async function findSessionUser(db: Database, token: string | undefined): Promise<SessionUser | null> {
  if (!token) return null;
  const rows = await db
    .select({ id: users.id, username: users.username, role: users.role, sessionId: sessions.id })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, hashToken(token)), gt(sessions.expiresAt, new Date())))
    .limit(1);
  return rows[0] ?? null;
}

/** Ends a session (log out). */
export async function deleteSession(db: Database, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, hashToken(token)));
}

/** Ends every session of a user except `keepSessionId` (all of them when it is undefined). */
export async function deleteOtherSessions(db: Database, userId: string, keepSessionId: string | undefined): Promise<void> {
  await db.delete(sessions).where(keepSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)) : eq(sessions.userId, userId));
}
