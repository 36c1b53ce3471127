/**
 * tRPC setup in numbered parts: 1. context → 2. init (error formatting) → 3. procedures
 * (public, signed-in, and audited mutations that only administrators may run).
 */
import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { readSessionToken } from "../auth/cookie";
import { findSessionUser, type SessionUser } from "../auth/sessions";
import { AppError, appErrorCodes } from "../errors";
import { controlPlaneForRequest } from "../control-plane/control-plane-for-request";
import { readCookie } from "../http/cookies";
import { getDb } from "../runtime";
import { PROJECT_COOKIE, REGION_COOKIE, resolveScope } from "../services/scope/resolve-scope";
import type { Scope, ServiceContext } from "../services/context";
import { runAuditedMutation, type AuditedCallOptions } from "./audited-mutation";
import { captureParsedInput } from "./capture-parsed-input";
import { internalErrorMessage } from "./request-id";
import { rejectNul } from "./reject-nul";

// 1. Context ------------------------------------------------------------------------------------

export { readCookie };

/** The addresses of ELB_TRUSTED_PROXIES (comma-separated), as scripts/console-server.mjs reads them. */
export function trustedProxies(value = process.env.ELB_TRUSTED_PROXIES ?? ""): ReadonlySet<string> {
  return new Set(value.split(",").map((s) => s.trim()).filter(Boolean));
}

/**
 * Client address for traces and the log-in throttle. The console server (scripts/console-server.mjs) sets
 * X-Forwarded-For to the socket's peer, or — for a peer listed in ELB_TRUSTED_PROXIES — to the chain that
 * proxy sent with the peer appended. The client is the right-most address that is not a trusted proxy:
 * everything left of it was written by that client and proves nothing (a forged first entry must not
 * become the traced address, nor a fresh log-in throttle bucket).
 */
export function sourceIpOf(headers: Headers, trusted: ReadonlySet<string> = trustedProxies()): string {
  const chain = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  for (let i = chain.length - 1; i >= 0; i--) if (!trusted.has(chain[i]!)) return chain[i]!;
  return chain[0] || headers.get("x-real-ip") || "127.0.0.1";
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A cookie value kept only when it has the expected format (so nothing malformed reaches a query). */
const wellFormed = (value: string | undefined, format: RegExp) => (value && format.test(value) ? value : undefined);

/**
 * Per-request context: database, signed-in user (or null), scope, source IP, and the control plane's
 * engine view and change signal (read once here; services get them through their ServiceContext).
 * Malformed cookies count as absent.
 */
export async function createTRPCContext(opts: { headers: Headers }) {
  const db = await getDb();
  const cookie = opts.headers.get("cookie");
  const user = await findSessionUser(db, readSessionToken(opts.headers)); // __Host-elb_session over HTTPS, elb_session over HTTP
  const scope = await resolveScope(db, {
    regionId: wellFormed(readCookie(cookie, REGION_COOKIE), UUID),
    projectId: wellFormed(readCookie(cookie, PROJECT_COOKIE), UUID),
  });
  return { db, user, scope, sourceIp: sourceIpOf(opts.headers), ...controlPlaneForRequest() };
}
type Context = Awaited<ReturnType<typeof createTRPCContext>>;

// 2. Init ---------------------------------------------------------------------------------------

/** Describes the audit trace a mutation writes (names from guide table 9-1). */
export interface TraceMeta {
  trace?: { name: string; resourceType: string };
}

const t = initTRPC
  .context<Context>()
  .meta<TraceMeta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      // An internal error says only its request id: SQL text, parameters and stacks stay in the server log.
      if (error.code === "INTERNAL_SERVER_ERROR") {
        return { ...shape, message: internalErrorMessage(error), data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, field: null, appCode: null, zodError: null } };
      }
      // Input rejected by a zod schema: say the first rule in words, naming the field.
      const firstIssue = cause instanceof ZodError ? cause.issues[0] : undefined;
      const { stack: _stack, ...data } = shape.data;
      return {
        ...shape,
        message: firstIssue ? firstIssue.message : shape.message,
        data: {
          ...data,
          field: cause instanceof AppError ? (cause.field ?? null) : firstIssue ? firstIssue.path.join(".") : null,
          appCode: cause instanceof AppError ? cause.code : null,
          zodError: cause instanceof ZodError ? cause.flatten() : null,
        },
      };
    },
  });

/** Maps service errors to tRPC errors by the one table (`appErrorCodes`). */
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: appErrorCodes[cause.code].trpc, message: cause.message, cause });
  }
  return result;
});

// 3. Procedures ---------------------------------------------------------------------------------

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** No session needed (only the health probe uses it). */
export const publicProcedure = t.procedure.use(mapAppErrors);

/** Requires a signed-in user; gives services their ServiceContext. */
const signedIn = t.middleware(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  const service: ServiceContext = { db: ctx.db, user: ctx.user, scope: ctx.scope, engine: ctx.engine, configChanged: ctx.configChanged };
  return next({ ctx: { ...ctx, user: ctx.user as SessionUser, scope: ctx.scope as Scope, service } });
});

/** Requires a signed-in user; gives services their ServiceContext; refuses U+0000 anywhere in the input. */
export const protectedProcedure = publicProcedure.use(signedIn).use(async ({ next, getRawInput }) => {
  rejectNul(await getRawInput());
  return next();
});

/**
 * A mutation: only administrators may run it (read-only users are refused by the server), and it
 * writes an audit trace — success or failure — named by the procedure's `meta.trace`, in the same
 * transaction as the work (see `runAuditedMutation`).
 */
export const mutationProcedure = captureParsedInput(
  // The audited flow checks U+0000 itself, so that refusal is traced too.
  publicProcedure.use(signedIn).use(async (opts) => {
    const result = await runAuditedMutation(opts as unknown as AuditedCallOptions);
    if (!result.ok) throw result.error;
    return result as unknown as Awaited<ReturnType<typeof opts.next<typeof opts.ctx>>>;
  }),
);
