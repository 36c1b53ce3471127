import "server-only";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { ZodError } from "zod";
import { AppError, appErrorCodes } from "../errors";
import { internalErrorMessage } from "./request-id";

/** Largest stored summary of a refused call's raw input, in characters. */
export const REFUSED_INPUT_LIMIT = 2048;

/** The HTTP status a trace records for a failed mutation: the AppError table, else tRPC's own mapping. */
export function resultCode(error: unknown): number {
  if (!(error instanceof TRPCError)) return 500;
  return error.cause instanceof AppError ? appErrorCodes[error.cause.code].http : getHTTPStatusCodeFromError(error);
}

/** What a trace's response says about a failure (an internal error says only its request id). */
export function errorBody(error: TRPCError) {
  const cause = error.cause;
  if (cause instanceof AppError) return { code: cause.code, message: cause.message, field: cause.field ?? null };
  if (cause instanceof ZodError) return { code: "BAD_REQUEST", message: cause.issues[0]?.message, field: cause.issues[0]?.path.join(".") };
  if (error.code === "INTERNAL_SERVER_ERROR") return { code: error.code, message: internalErrorMessage(error) };
  return { code: error.code, message: error.message };
}

/** Ids of this form only are looked up or stored from input that was not parsed. */
const PLAIN_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

/** The resource a parsed input or result talks about, for the trace. */
export function resourceOf(value: unknown): { id?: string; name?: string } {
  if (!value || typeof value !== "object") return {};
  const v = value as Record<string, unknown>;
  return { id: typeof v.id === "string" ? v.id : undefined, name: typeof v.name === "string" ? v.name : undefined };
}

/** The id of a raw (unparsed, maybe rejected) input, only when it looks like an id; never its name. */
export function rawResourceId(raw: unknown): string | undefined {
  const id = resourceOf(raw).id;
  return id && PLAIN_ID.test(id) ? id : undefined;
}
