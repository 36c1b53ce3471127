import { NextResponse } from "next/server";
import { AppError, httpStatusOf } from "@/server/errors";
import { createTRPCContext } from "@/server/trpc/init";
import { downloadAccessLogs } from "@/server/services/access-log/download-access-logs";

export const dynamic = "force-dynamic";

/** A query parameter as a whole number of ms, or undefined when absent (anything else goes to validation as NaN). */
function msParam(value: string | null): number | undefined {
  return value === null || value === "" ? undefined : Number(value);
}

/**
 * GET ?from=&to=&status=&clientIp=&path=&text= → the Access Logs tab's selection as a .log download:
 * the raw table 7-1 lines, oldest first, streamed as they are read (pulled, so a slow client slows the
 * reading instead of filling memory).
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { db, user, scope, engine, configChanged } = await createTRPCContext({ headers: request.headers });
  if (!user) return NextResponse.json({ error: "Sign in first" }, { status: 401 });
  const { id } = await params;
  const q = new URL(request.url).searchParams;
  const input = {
    loadBalancerId: id,
    from: msParam(q.get("from")),
    to: msParam(q.get("to")),
    status: q.get("status") ?? undefined,
    clientIp: q.get("clientIp") ?? undefined,
    path: q.get("path") ?? undefined,
    text: q.get("text") ?? undefined,
  };
  try {
    const file = await downloadAccessLogs({ db, user, scope, engine, configChanged }, input);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await file.chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await file.chunks.return(undefined);
      },
    });
    const ascii = file.fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
    return new Response(body, {
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof AppError) return NextResponse.json({ error: error.message, field: error.field }, { status: httpStatusOf(error) });
    throw error;
  }
}
