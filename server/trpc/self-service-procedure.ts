/**
 * A mutation every signed-in user may run on their own account (read-only users too — e.g. Change
 * Password), unlike `mutationProcedure`, which only administrators may run. It runs in the same audited
 * transaction as every other mutation (`inAuditedTransaction`): the call's writes and its trace commit
 * together, and a trace that cannot be written fails the call (INTERNAL_SERVER_ERROR) and writes nothing.
 * Unlike an administrator's mutation, a refused call is NOT rolled back: its trace commits with what the
 * refusal itself recorded (the log-in throttle's count of a wrong current password must survive it; the
 * service keeps its own changes in a nested transaction, so a refusal leaves none of them). The trace
 * names the user as the resource and stores no input values (only the field names, redacted), so no
 * password ever reaches the trace.
 */
import "server-only";
import { TRPCError } from "@trpc/server";
import type { TraceRecord } from "../audit/record-trace";
import { errorBody, resultCode } from "./call-trace";
import { inAuditedTransaction, type AuditedCallOptions } from "./audited-mutation";
import { protectedProcedure } from "./init";

/** Field names of the raw input, each value replaced by "******" (bounded to 20 fields). */
function redactedShape(input: unknown): Record<string, string> | null {
  if (!input || typeof input !== "object" || Array.isArray(input)) return null;
  return Object.fromEntries(Object.keys(input).slice(0, 20).map((key) => [key.slice(0, 64), "******"]));
}

/** A traced mutation on the caller's own account, open to every signed-in user. */
export const selfServiceMutationProcedure = protectedProcedure.use(async (opts) => {
  const { ctx, meta, path, next, getRawInput } = opts as unknown as AuditedCallOptions;
  const trace = meta?.trace;
  if (!trace) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `Mutation ${path} has no meta.trace` });
  const request = redactedShape(await getRawInput().catch(() => undefined));
  const record = (code: number, response: unknown): TraceRecord => ({
    traceName: trace.name,
    resourceType: trace.resourceType,
    resourceId: ctx.user.id,
    resourceName: ctx.user.username,
    userName: ctx.user.username,
    sourceIp: ctx.sourceIp,
    code,
    projectId: ctx.scope.projectId,
    regionId: ctx.scope.regionId,
    request,
    response,
  });
  const result = await inAuditedTransaction(
    ctx,
    path,
    ({ db, service }) => next({ ctx: { db, service } }),
    async (_db, done) => (done.ok ? record(200, { id: ctx.user.id, name: ctx.user.username }) : record(resultCode(done.error), { error: errorBody(done.error) })),
  );
  if (!result.ok) throw result.error;
  return result as unknown as Awaited<ReturnType<typeof opts.next<typeof opts.ctx>>>;
});
