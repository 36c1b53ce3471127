import { NextResponse } from "next/server";
import { AppError, httpStatusOf } from "@/server/errors";
import { createTRPCContext } from "@/server/trpc/init";
import { exportLoadBalancers } from "@/server/services/load-balancer/export-load-balancers";

export const dynamic = "force-dynamic";

/** GET ?format=xlsx|csv&name=&ip=&tag= → the load balancer list as a dated download. */
export async function GET(request: Request) {
  // The same request context as the API: session, scope and the control plane's engine view.
  const { db, user, scope, engine, configChanged } = await createTRPCContext({ headers: request.headers });
  if (!user) return NextResponse.json({ error: "Sign in first" }, { status: 401 });
  const params = new URL(request.url).searchParams;
  const format = params.get("format") === "csv" ? "csv" : "xlsx";
  const filters = { name: params.get("name") || undefined, ip: params.get("ip") || undefined, tag: params.get("tag") || undefined };
  try {
    const file = await exportLoadBalancers({ db, user, scope, engine, configChanged }, filters, format);
    return new Response(new Uint8Array(file.body), {
      headers: { "content-type": file.contentType, "content-disposition": `attachment; filename="${file.fileName}"`, "cache-control": "no-store" },
    });
  } catch (error) {
    if (error instanceof AppError) return NextResponse.json({ error: error.message }, { status: httpStatusOf(error) });
    throw error;
  }
}
