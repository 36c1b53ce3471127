import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/trpc/root";
import { createTRPCContext } from "@/server/trpc/init";
import { limitRequestBody, MAX_BATCH_SIZE } from "@/server/trpc/http-limits";
import { requestIdOf } from "@/server/trpc/request-id";

export const dynamic = "force-dynamic";

/** The tRPC endpoint for the console: bodies up to 1 MiB, batches up to 20 calls. */
async function handler(request: Request) {
  const req = await limitRequestBody(request);
  if (req instanceof Response) return req;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: () => createTRPCContext({ headers: req.headers }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[elb] tRPC ${path ?? "?"} failed (request id ${requestIdOf(error)})`, error);
    },
  });
}

export { handler as GET, handler as POST };
