import { expect } from "vitest";
import { AppError } from "../errors";

/** What a refused service call must say. */
export interface ExpectedAppError {
  code?: string;
  field?: string;
  message: RegExp;
}

/**
 * Test helper: expects `action` to throw an AppError with the given code/field/message, and `snapshot`
 * (e.g. a row count or the rows themselves) to be the same before and after: nothing was written.
 */
export async function expectAppError(action: () => Promise<unknown>, expected: ExpectedAppError, snapshot: () => Promise<unknown>): Promise<AppError> {
  const before = await snapshot();
  const error = await action().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected an AppError matching ${expected.message}`).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.message).toMatch(expected.message);
  if (expected.code) expect(appError.code).toBe(expected.code);
  if (expected.field !== undefined) expect(appError.field).toBe(expected.field);
  expect(await snapshot()).toEqual(before);
  return appError;
}
