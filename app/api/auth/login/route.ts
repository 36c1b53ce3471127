import { NextResponse } from "next/server";
import { AppError, httpStatusOf } from "@/server/errors";
import { getDb } from "@/server/runtime";
import { logIn } from "@/server/auth/log-in";
import { isHttps, sessionCookie } from "@/server/auth/cookie";
import { sourceIpOf } from "@/server/trpc/init";

export const dynamic = "force-dynamic";

/** POST {username, password} → sets the session cookie. */
export async function POST(request: Request) {
  try {
    const result = await logIn(await getDb(), await request.json().catch(() => ({})), sourceIpOf(request.headers));
    const response = NextResponse.json({ user: result.user });
    response.headers.append("Set-Cookie", sessionCookie(result.token, isHttps(request)));
    return response;
  } catch (error) {
    if (error instanceof AppError) return NextResponse.json({ error: error.message, field: error.field ?? null }, { status: httpStatusOf(error) });
    throw error;
  }
}
