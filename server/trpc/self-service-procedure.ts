/**
 * A mutation every signed-in user may run on their own account (read-only users too — e.g. Change
 * Password), unlike `mutationProcedure`, which only administrators may run. It writes the audit trace of
 * `meta.trace` for success and failure; the trace names the user as the resource and stores no input
 * values (only the field names, redacted), so no password ever reaches the trace.
 */
import "server-only";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { recordTrace } from "../audit/record-trace";
import { AppError, appErrorCodes } from "../errors";
import { protectedProcedure } from "./init";

const statusOf = (error: TRPCError) => (error.cause instanceof AppError ? appErrorCodes[error.cause.code].http : getHTTPStatusCodeFromError(error));

/** Field names of the raw input, each value replaced by "******" (bounded to 20 fields). */
function redactedShape(input: unknown): Record<string, string> | null {
  if (!input || typeof input !== "object" || Array.isArray(input)) return null;
  return Object.fromEntries(Object.keys(input).slice(0, 20).map((key) => [key.slice(0, 64), "******"]));
}

/** A traced mutation on the caller's own account, open to every signed-in user. */
export const selfServiceMutationProcedure = protectedProcedure.use(async ({ ctx, meta, next, getRawInput }) => {
  const result = await next();
  if (meta?.trace) {
    const error = result.ok ? null : result.error;
    await recordTrace(ctx.db, {
      traceName: meta.trace.name,
      resourceType: meta.trace.resourceType,
      resourceId: ctx.user.id,
      resourceName: ctx.user.username,
      userName: ctx.user.username,
      sourceIp: ctx.sourceIp,
      code: error ? statusOf(error) : 200,
      projectId: ctx.scope.projectId,
      regionId: ctx.scope.regionId,
      request: redactedShape(await getRawInput().catch(() => undefined)),
      response: error ? { error: { code: error.cause instanceof AppError ? error.cause.code : error.code, message: error.message } } : { id: ctx.user.id, name: ctx.user.username },
    });
  }
  if (!result.ok) throw result.error;
  return result;
});
