import "server-only";
import { TRPCError } from "@trpc/server";
import type { Database } from "@/db/client";
import type { SessionUser } from "../auth/sessions";
import { insertTrace, recordTrace, type TraceRecord } from "../audit/record-trace";
import { lookupResourceName } from "../audit/resource-names";
import type { Scope, ServiceContext } from "../services/context";
import type { ParsedInputSink } from "./capture-parsed-input";
import { errorBody, rawResourceId, REFUSED_INPUT_LIMIT, resourceOf, resultCode } from "./call-trace";
import { requestIdOf } from "./request-id";
import { rejectNul } from "./reject-nul";
import { type AppError, appErrorCodes } from "../errors";

/** What the audit middleware needs of the signed-in call's context. */
export interface AuditedCallContext {
  db: Database;
  user: SessionUser;
  scope: Scope;
  sourceIp: string;
  configChanged: () => void;
  service: ServiceContext;
}

type Result = { ok: true; data: unknown } | { ok: false; error: TRPCError };

/** The pieces of tRPC's middleware options this middleware uses. */
export interface AuditedCallOptions {
  ctx: AuditedCallContext;
  meta?: { trace?: { name: string; resourceType: string } };
  path: string;
  getRawInput: () => Promise<unknown>;
  next: (opts: { ctx: Partial<AuditedCallContext> & ParsedInputSink }) => Promise<Result>;
}

/** Carries a refused result out of the transaction so it rolls back. */
class Refused extends Error {
  constructor(readonly result: Result) {
    super("refused");
  }
}

/** The call's view of the audited transaction: the transaction as its database, and a service context on it. */
export interface AuditedTransaction {
  db: Database;
  service: ServiceContext;
}

/**
 * The audited transaction shared by every traced mutation: `run` (the procedure) gets the transaction as
 * `db` and as its service's `db` (a service's own `db.transaction` becomes a savepoint) with a change signal
 * deferred until the commit; then `traceOf` says which trace commits with the call's writes, in the same
 * transaction — or null to roll the call back (a refusal, traced afterwards by the caller). A trace that
 * cannot be written, or any other failure, rolls everything back and answers INTERNAL_SERVER_ERROR.
 */
export async function inAuditedTransaction(
  ctx: AuditedCallContext,
  path: string,
  run: (tx: AuditedTransaction) => Promise<Result>,
  traceOf: (db: Database, result: Result) => Promise<TraceRecord | null>,
): Promise<Result> {
  let changed = false;
  let result: Result;
  try {
    result = await ctx.db.transaction(async (tx) => {
      const db = tx as unknown as Database;
      const service: ServiceContext = { ...ctx.service, db, configChanged: () => void (changed = true) };
      const done = await run({ db, service });
      const record = await traceOf(db, done);
      if (!record) throw new Refused(done);
      await insertTrace(db, record);
      return done;
    });
  } catch (error) {
    if (error instanceof Refused) result = error.result;
    else {
      const failure = new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "The operation or its audit trace could not be committed", cause: error });
      console.error(`[elb] ${path} rolled back (request id ${requestIdOf(failure)})`, error);
      result = { ok: false, error: failure };
    }
    changed = false;
  }
  if (changed) ctx.configChanged();
  return result;
}

/**
 * The audited mutation: read-only users are refused; for administrators the service's work and its
 * trace (the parsed, redacted, bounded input) commit in ONE transaction — a trace that cannot be written
 * fails the call and rolls the work back. The service's context gets that transaction as `db` (its own
 * `db.transaction` becomes a savepoint) and a deferred change signal fired only after the outer commit.
 * A refused or failed call is traced afterwards with a bounded summary of its input.
 */
export async function runAuditedMutation(opts: AuditedCallOptions): Promise<Result> {
  const { ctx, meta, path } = opts;
  const trace = meta?.trace;
  if (!trace) throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `Mutation ${path} has no meta.trace` });
  const base = { traceName: trace.name, resourceType: trace.resourceType, userName: ctx.user.username, sourceIp: ctx.sourceIp, projectId: ctx.scope.projectId, regionId: ctx.scope.regionId };
  let parsed: { input: unknown } | undefined;
  let result: Result;
  const nul = ctx.user.role === "admin" ? await nulRefusal(opts.getRawInput) : undefined;
  if (ctx.user.role !== "admin") {
    result = { ok: false, error: new TRPCError({ code: "FORBIDDEN", message: "Read-only users cannot change resources" }) };
  } else if (nul) {
    result = { ok: false, error: nul };
  } else {
    result = await inAuditedTransaction(
      ctx,
      path,
      ({ db, service }) => opts.next({ ctx: { db, service, captureParsedInput: (input) => void (parsed = { input }) } }),
      async (db, done) => {
        if (!done.ok) return null;
        const fromResult = resourceOf(done.data);
        const fromInput = resourceOf(parsed?.input);
        const resourceId = fromResult.id ?? fromInput.id;
        const resourceName = fromResult.name ?? fromInput.name ?? (resourceId ? await lookupResourceName(db, trace.resourceType, resourceId) : null);
        return { ...base, resourceId, resourceName, code: 200, request: parsed?.input, response: done.data };
      },
    );
  }
  if (!result.ok) await traceFailure(ctx.db, base, parsed, opts.getRawInput, result.error);
  return result;
}

/** A BAD_REQUEST when the raw input holds U+0000 (see `rejectNul`). */
async function nulRefusal(getRawInput: () => Promise<unknown>): Promise<TRPCError | undefined> {
  try {
    rejectNul(await getRawInput().catch(() => undefined));
    return undefined;
  } catch (cause) {
    const app = cause as AppError;
    return new TRPCError({ code: appErrorCodes[app.code].trpc, message: app.message, cause: app });
  }
}

async function traceFailure(db: Database, base: Omit<TraceRecord, "code" | "request" | "response">, parsed: { input: unknown } | undefined, getRawInput: () => Promise<unknown>, error: TRPCError) {
  const raw = parsed ? undefined : await getRawInput().catch(() => undefined);
  const fromInput = parsed ? resourceOf(parsed.input) : { id: rawResourceId(raw) };
  const resourceName = fromInput.name ?? (fromInput.id ? await lookupResourceName(db, base.resourceType, fromInput.id) : null);
  await recordTrace(db, {
    ...base,
    resourceId: fromInput.id,
    resourceName,
    code: resultCode(error),
    request: parsed ? parsed.input : raw,
    response: { error: errorBody(error) },
    bodyLimit: parsed ? undefined : REFUSED_INPUT_LIMIT,
  });
}
