import type { ConnectionContext, RequestRecord } from "../../observer.types";
import { lineBound, writeAccessLogLine, type CompiledLogListener, type IsoSecondClock } from "../access-log-format";

/**
 * The line `writeAccessLogLine` writes, as a string (tests compare and parse it); written at an offset
 * into a buffer larger than `lineBound`, and it throws when the line went past the bound: every test
 * of a line checks the bound too.
 */
export function formatAccessLogLine(l: CompiledLogListener, clock: IsoSecondClock, context: ConnectionContext, record: RequestRecord, epochMs: number): string {
  const bound = lineBound(l, context, record);
  const at = 7;
  const buf = Buffer.alloc(at + bound + 4096);
  const end = writeAccessLogLine(buf, at, l, clock, context, record, epochMs);
  if (end - at > bound) throw new Error(`the line took ${end - at} bytes, past its bound ${bound}`);
  return buf.toString("latin1", at, end);
}
