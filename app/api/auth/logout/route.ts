import { NextResponse } from "next/server";
import { getDb } from "@/server/runtime";
import { deleteSession, SESSION_COOKIE } from "@/server/auth/sessions";
import { clearedSessionCookie, isHttps } from "@/server/auth/cookie";
import { readCookie } from "@/server/trpc/init";

export const dynamic = "force-dynamic";

/** POST → ends the session and clears the cookie. */
export async function POST(request: Request) {
  const token = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
  if (token) await deleteSession(await getDb(), token);
  const response = NextResponse.json({ ok: true });
  response.headers.append("Set-Cookie", clearedSessionCookie(isHttps(request)));
  return response;
}
