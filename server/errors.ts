import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";

/**
 * The service layer's one error type. Services throw `AppError(code, message, field?)`; what each code
 * becomes on the wire (tRPC code, HTTP status) is written once, in `appErrorCodes`.
 */
export type AppErrorCode =
  | "BAD_REQUEST" // invalid input: `field` names the offending field
  | "NOT_FOUND"
  | "CONFLICT" // e.g. an address or port already in use
  | "PRECONDITION_FAILED" // e.g. delete refused while dependants exist
  | "QUOTA_EXCEEDED"
  | "FORBIDDEN"
  | "UNAUTHORIZED";

/** An expected failure with a message meant for the user. */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    /** The input field the error is about, e.g. "tags.0.key". */
    readonly field?: string,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** How one AppError code travels: the tRPC error code the API answers with and the HTTP status. */
export interface AppErrorMapping {
  trpc: TRPC_ERROR_CODE_KEY;
  http: number;
}

/**
 * The one table from AppError code to tRPC code and HTTP status (tRPC procedures, route handlers,
 * audit trace result codes). A quota is a refusal: FORBIDDEN, 403.
 */
export const appErrorCodes: Readonly<Record<AppErrorCode, AppErrorMapping>> = {
  BAD_REQUEST: { trpc: "BAD_REQUEST", http: 400 },
  UNAUTHORIZED: { trpc: "UNAUTHORIZED", http: 401 },
  FORBIDDEN: { trpc: "FORBIDDEN", http: 403 },
  QUOTA_EXCEEDED: { trpc: "FORBIDDEN", http: 403 },
  NOT_FOUND: { trpc: "NOT_FOUND", http: 404 },
  CONFLICT: { trpc: "CONFLICT", http: 409 },
  PRECONDITION_FAILED: { trpc: "PRECONDITION_FAILED", http: 412 },
};

/** HTTP status of an AppError (route handlers answer with it). */
export function httpStatusOf(error: AppError): number {
  return appErrorCodes[error.code].http;
}
