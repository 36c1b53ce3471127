import type { AccessLogSinks } from "./access-log-sink.types";

/** What a worker's access-log writers need: the state directory (files go under access-logs/) and the worker's index. */
export interface AccessLogSinksOptions {
  stateDir: string;
  workerIndex: number;
}

/**
 * The access-log writers of one worker thread.
 * Placeholder until the writers land: no listener gets a sink (records are not written).
 */
export function createAccessLogSinks(_options: AccessLogSinksOptions): AccessLogSinks {
  return { sinkFor: () => null, retain: () => {}, stats: () => [], close: async () => {} };
}
