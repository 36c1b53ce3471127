/**
 * The service layer's one error type. Services throw `AppError(code, message, field?)`;
 * the tRPC layer maps `code` to a tRPC error code in one place (`trpc/init.ts`).
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

/** HTTP-style status for each code; used for trace result codes and tRPC mapping. */
export const appErrorHttpStatus: Record<AppErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  QUOTA_EXCEEDED: 403,
};
