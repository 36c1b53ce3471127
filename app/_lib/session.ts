import "server-only";
import { cookies } from "next/headers";
import { findSessionUser, SESSION_COOKIE, type SessionUser } from "@/server/auth/sessions";
import { getDb } from "@/server/runtime";

/** The signed-in user of the current request (server components), or null. */
export async function currentUser(): Promise<SessionUser | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return findSessionUser(await getDb(), token);
}
