/**
 * tRPC setup in numbered parts: 1. context → 2. init (error formatting) → 3. procedures
 * (public, signed-in, and audited mutations that only administrators may run).
 */
import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import superjson from "superjson";
import { ZodError } from "zod";
import { findSessionUser, SESSION_COOKIE, type SessionUser } from "../auth/sessions";
import { recordTrace } from "../audit/record-trace";
import { lookupResourceName } from "../audit/resource-names";
import { AppError, appErrorCodes } from "../errors";
import { controlPlaneForRequest } from "../control-plane/control-plane-for-request";
import { getDb } from "../runtime";
import { PROJECT_COOKIE, REGION_COOKIE, resolveScope } from "../services/scope/resolve-scope";
import type { Scope, ServiceContext } from "../services/context";

// 1. Context ------------------------------------------------------------------------------------

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Client address as the console sees it (Next.js sets X-Forwarded-For from the socket). */
export function sourceIpOf(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "127.0.0.1";
}

/**
 * Per-request context: database, signed-in user (or null), scope, source IP, and the control plane's
 * engine view and change signal (read once here; services get them through their ServiceContext).
 */
export async function createTRPCContext(opts: { headers: Headers }) {
  const db = await getDb();
  const cookie = opts.headers.get("cookie");
  const user = await findSessionUser(db, readCookie(cookie, SESSION_COOKIE));
  const scope = await resolveScope(db, { regionId: readCookie(cookie, REGION_COOKIE), projectId: readCookie(cookie, PROJECT_COOKIE) });
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
      // Input rejected by a zod schema: say the first rule in words, naming the field.
      const firstIssue = cause instanceof ZodError ? cause.issues[0] : undefined;
      return {
        ...shape,
        message: firstIssue ? firstIssue.message : shape.message,
        data: {
          ...shape.data,
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
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  const service: ServiceContext = { db: ctx.db, user: ctx.user, scope: ctx.scope, engine: ctx.engine, configChanged: ctx.configChanged };
  return next({ ctx: { ...ctx, user: ctx.user as SessionUser, scope: ctx.scope as Scope, service } });
});

/** The HTTP status a trace records for a failed mutation: the AppError table, else tRPC's own mapping. */
function resultCode(error: unknown): number {
  if (!(error instanceof TRPCError)) return 500;
  return error.cause instanceof AppError ? appErrorCodes[error.cause.code].http : getHTTPStatusCodeFromError(error);
}

function errorBody(error: TRPCError) {
  const cause = error.cause;
  if (cause instanceof AppError) return { code: cause.code, message: cause.message, field: cause.field ?? null };
  if (cause instanceof ZodError) return { code: "BAD_REQUEST", message: cause.issues[0]?.message, field: cause.issues[0]?.path.join(".") };
  return { code: error.code, message: error.message };
}

/** The resource a result or input talks about, for the trace. */
function resourceOf(value: unknown): { id?: string; name?: string } {
  if (!value || typeof value !== "object") return {};
  const v = value as Record<string, unknown>;
  return { id: typeof v.id === "string" ? v.id : undefined, name: typeof v.name === "string" ? v.name : undefined };
}

/**
 * A mutation: only administrators may run it (read-only users are refused by the server), and it
 * writes an audit trace — success or failure — named by the procedure's `meta.trace`.
 */
export const mutationProcedure = protectedProcedure.use(async ({ ctx, meta, next, getRawInput }) => {
  const input = await getRawInput().catch(() => undefined);
  let result: Awaited<ReturnType<typeof next>>;
  if (ctx.user.role !== "admin") {
    result = { ok: false, error: new TRPCError({ code: "FORBIDDEN", message: "Read-only users cannot change resources" }) } as typeof result;
  } else {
    result = await next();
  }
  if (meta?.trace) {
    const fromResult = result.ok ? resourceOf(result.data) : {};
    const fromInput = resourceOf(input);
    const resourceId = fromResult.id ?? fromInput.id;
    const resourceName =
      fromResult.name ?? fromInput.name ?? (resourceId ? await lookupResourceName(ctx.db, meta.trace.resourceType, resourceId) : null);
    await recordTrace(ctx.db, {
      traceName: meta.trace.name,
      resourceType: meta.trace.resourceType,
      resourceId,
      resourceName,
      userName: ctx.user.username,
      sourceIp: ctx.sourceIp,
      code: result.ok ? 200 : resultCode(result.error),
      projectId: ctx.scope.projectId,
      regionId: ctx.scope.regionId,
      request: input,
      response: result.ok ? result.data : { error: errorBody(result.error) },
    });
  }
  if (!result.ok) throw result.error;
  return result;
});
