import type { ConnectionContext, RequestRecord } from "../../observer.types";
import { writeAccessLogLine, type CompiledLogListener, type IsoSecondClock } from "../access-log-format";
import { LineBuffer } from "../line-buffer";

/** The line `writeAccessLogLine` writes, as a string (tests compare and parse it). */
export function formatAccessLogLine(l: CompiledLogListener, clock: IsoSecondClock, context: ConnectionContext, record: RequestRecord, epochMs: number): string {
  const out = new LineBuffer(16);
  writeAccessLogLine(out, l, clock, context, record, epochMs);
  return out.toString();
}
