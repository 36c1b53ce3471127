import { NextResponse } from "next/server";
import { getDb } from "@/server/runtime";
import { deleteSession, findSessionUser } from "@/server/auth/sessions";
import { clearedSessionCookie, isHttps, readSessionToken } from "@/server/auth/cookie";
import { recordAuthTrace } from "@/server/auth/auth-trace";
import { isCrossOriginRequest } from "@/server/auth/same-origin";
import { sourceIpOf } from "@/server/trpc/init";

export const dynamic = "force-dynamic";

/** POST (same origin) → ends the session (traced as "log out") and clears the cookie; fail-safe on a broken cookie. */
export async function POST(request: Request) {
  if (isCrossOriginRequest(request.headers)) return NextResponse.json({ error: "Log-out: refused from another site" }, { status: 403 });
  const secure = isHttps(request);
  const token = readSessionToken(request.headers, secure);
  if (token) {
    try {
      const db = await getDb();
      const user = await findSessionUser(db, token);
      await deleteSession(db, token);
      if (user) await recordAuthTrace(db, { traceName: "log out", username: user.username, userId: user.id, sourceIp: sourceIpOf(request.headers), code: 200, response: { ok: true } });
    } catch (error) {
      console.error("[elb] log-out could not end the session", error);
    }
  }
  const response = NextResponse.json({ ok: true });
  response.headers.append("Set-Cookie", clearedSessionCookie(secure));
  return response;
}
