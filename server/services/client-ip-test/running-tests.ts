import { AppError } from "../../errors";

/** At most this many client-IP tests run at once in this console (each starts an engine process). */
export const MAX_RUNNING_TESTS = 3;

const running = new Set<string>();

/**
 * Runs `test` as the one test of `listenerId`: a second test of the same listener while one runs is
 * refused (CONFLICT), as is a test beyond MAX_RUNNING_TESTS; the slot is freed whatever the outcome.
 */
export async function runExclusively<T>(listenerId: string, test: () => Promise<T>): Promise<T> {
  if (running.has(listenerId)) throw new AppError("CONFLICT", "A client-IP test of this listener is already running: wait for its result", "listenerId");
  if (running.size >= MAX_RUNNING_TESTS) throw new AppError("CONFLICT", `${MAX_RUNNING_TESTS} client-IP tests are running already: try again in a few seconds`, "listenerId");
  running.add(listenerId);
  try {
    return await test();
  } finally {
    running.delete(listenerId);
  }
}
