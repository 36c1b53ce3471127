import "server-only";
import { headers } from "next/headers";
import { findSessionUser, type SessionUser } from "@/server/auth/sessions";
import { readSessionToken } from "@/server/auth/cookie";
import { getDb } from "@/server/runtime";

/** The signed-in user of the current request (server components), or null; the cookie is read as the protocol calls for. */
export async function currentUser(): Promise<SessionUser | null> {
  const token = readSessionToken(await headers());
  return findSessionUser(await getDb(), token);
}
