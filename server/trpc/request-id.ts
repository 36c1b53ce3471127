import "server-only";
import { randomUUID } from "node:crypto";

const ids = new WeakMap<object, string>();

/**
 * The request id of a failed call, fixed per error object: the error formatter puts it in the answer,
 * `onError` and the audit trace log it, so a user's report can be matched with the server log.
 */
export function requestIdOf(error: object): string {
  let id = ids.get(error);
  if (!id) {
    id = randomUUID();
    ids.set(error, id);
  }
  return id;
}

/** The message an internal error answers with: generic, no SQL, parameters or stack. */
export function internalErrorMessage(error: object): string {
  return `Internal error (request id ${requestIdOf(error)}). The details are in the server log.`;
}
