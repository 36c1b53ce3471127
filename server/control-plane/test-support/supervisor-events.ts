import type { EngineSupervisor } from "../engine-supervisor";

/** Supervisor test helpers: wait for an event, ask whether a process is alive. */

/** Resolves with the first value of `event` that passes `predicate`; rejects after `timeoutMs`. */
export function waitForEvent<T>(emitter: EngineSupervisor, event: string, predicate: (value: T) => boolean = () => true, timeoutMs = 15_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), timeoutMs);
    const listener = (value: T) => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(value);
    };
    emitter.on(event, listener);
  });
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
