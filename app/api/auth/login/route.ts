import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import { AppError, httpStatusOf } from "@/server/errors";
import { getDb } from "@/server/runtime";
import { logIn, LoginThrottledError } from "@/server/auth/log-in";
import { isHttps, sessionCookie } from "@/server/auth/cookie";
import { isCrossOriginRequest } from "@/server/auth/same-origin";
import { recordAuthTrace, traceableUsername } from "@/server/auth/auth-trace";
import { sourceIpOf } from "@/server/trpc/init";

export const dynamic = "force-dynamic";

const isJson = (request: Request) => /^application\/json\s*(;|$)/i.test(request.headers.get("content-type") ?? "");

/** A database error caused by the input (SQLSTATE class 22, e.g. an invalid byte sequence) is a bad request. */
const isDataException = (error: unknown) => {
  const code = (error as { cause?: { code?: unknown }; code?: unknown })?.cause?.code ?? (error as { code?: unknown })?.code;
  return typeof code === "string" && code.startsWith("22");
};

/**
 * POST {username, password} (Content-Type: application/json, same origin) → sets the session cookie. Every attempt
 * that reaches the check is traced ("log in": success, failure, throttled). Unexpected failures answer a
 * generic 400/401 with a request id; the details go to the server log only.
 */
export async function POST(request: Request) {
  if (isCrossOriginRequest(request.headers)) return NextResponse.json({ error: "Log-in: refused from another site", field: null }, { status: 403 });
  if (!isJson(request)) return NextResponse.json({ error: "Content-Type: must be application/json", field: null }, { status: 415 });
  const body: unknown = await request.json().catch(() => undefined);
  if (!body || typeof body !== "object" || Array.isArray(body)) return NextResponse.json({ error: "Request body: must be a JSON object", field: null }, { status: 400 });
  const sourceIp = sourceIpOf(request.headers);
  const username = traceableUsername((body as { username?: unknown }).username);
  let db: Awaited<ReturnType<typeof getDb>> | undefined;
  try {
    db = await getDb();
    const result = await logIn(db, body, sourceIp);
    await recordAuthTrace(db, { traceName: "log in", username: result.user.username, userId: result.user.id, sourceIp, code: 200, response: { user: result.user } });
    const response = NextResponse.json({ user: result.user });
    response.headers.append("Set-Cookie", sessionCookie(result.token, isHttps(request)));
    return response;
  } catch (error) {
    if (error instanceof AppError) {
      const status = httpStatusOf(error);
      if (db) await recordAuthTrace(db, { traceName: "log in", username, sourceIp, code: status, response: { error: error.message } });
      const response = NextResponse.json({ error: error.message, field: error.field ?? null }, { status });
      if (error instanceof LoginThrottledError) response.headers.set("Retry-After", String(Math.ceil(error.refusal.waitMs / 1000)));
      return response;
    }
    const requestId = randomUUID();
    console.error(`[elb] log-in failed (request ${requestId})`, error);
    const status = isDataException(error) ? 400 : 401;
    const message = status === 400 ? "Invalid log-in request" : "Log-in failed. Try again later.";
    return NextResponse.json({ error: `${message} (request ${requestId})`, field: null, requestId }, { status });
  }
}
