import { NextResponse } from "next/server";
import { findSessionUser, SESSION_COOKIE } from "@/server/auth/sessions";
import { getDb } from "@/server/runtime";
import { AppError, appErrorHttpStatus } from "@/server/errors";
import { readCookie } from "@/server/trpc/init";
import { PROJECT_COOKIE, REGION_COOKIE, resolveScope } from "@/server/services/scope/resolve-scope";
import { exportLoadBalancers } from "@/server/services/load-balancer/export-load-balancers";

export const dynamic = "force-dynamic";

/** GET ?format=xlsx|csv&name=&ip=&tag= → the load balancer list as a dated download. */
export async function GET(request: Request) {
  const db = await getDb();
  const cookie = request.headers.get("cookie");
  const user = await findSessionUser(db, readCookie(cookie, SESSION_COOKIE));
  if (!user) return NextResponse.json({ error: "Sign in first" }, { status: 401 });
  const scope = await resolveScope(db, { regionId: readCookie(cookie, REGION_COOKIE), projectId: readCookie(cookie, PROJECT_COOKIE) });
  const params = new URL(request.url).searchParams;
  const format = params.get("format") === "csv" ? "csv" : "xlsx";
  const filters = { name: params.get("name") || undefined, ip: params.get("ip") || undefined, tag: params.get("tag") || undefined };
  try {
    const file = await exportLoadBalancers({ db, user, scope }, filters, format);
    return new Response(new Uint8Array(file.body), {
      headers: { "content-type": file.contentType, "content-disposition": `attachment; filename="${file.fileName}"`, "cache-control": "no-store" },
    });
  } catch (error) {
    if (error instanceof AppError) return NextResponse.json({ error: error.message }, { status: appErrorHttpStatus[error.code] });
    throw error;
  }
}
