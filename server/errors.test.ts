import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { describe, expect, it } from "vitest";
import { AppError, appErrorCodes, httpStatusOf, type AppErrorCode } from "./errors";

describe("AppError code table", () => {
  it("gives every code the HTTP status tRPC itself answers for its tRPC code", () => {
    // Traces and route handlers use the table's status; the API answers with tRPC's: they must agree.
    for (const [code, mapping] of Object.entries(appErrorCodes))
      expect([code, getHTTPStatusCodeFromError(new TRPCError({ code: mapping.trpc }))]).toEqual([code, mapping.http]);
  });

  it("maps a quota to a refusal and a failed precondition to 412", () => {
    expect(appErrorCodes.QUOTA_EXCEEDED).toEqual({ trpc: "FORBIDDEN", http: 403 });
    const status = (code: AppErrorCode) => httpStatusOf(new AppError(code, "m"));
    expect([status("BAD_REQUEST"), status("NOT_FOUND"), status("CONFLICT"), status("PRECONDITION_FAILED")]).toEqual([400, 404, 409, 412]);
  });
});
