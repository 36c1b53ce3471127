import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createGunzip, constants as zlibConstants } from "node:zlib";
import type { StreamFile } from "./stream-files";

/**
 * The complete lines of a record file, in file order, in batches (one per chunk read), without their
 * newline. A finished hour (.log.gz) is inflated as a stream; a plain .log (the hour being written) is
 * read up to its size when opened, and its last line counts only once its newline is written. A
 * truncated gzip file yields the lines that were whole. Memory: one chunk and one partial line.
 */
export async function* readLineBatches(file: StreamFile): AsyncGenerator<string[]> {
  let source: NodeJS.ReadableStream;
  if (file.compressed) {
    // Z_SYNC_FLUSH: a file cut short (engine killed while compressing) ends the lines instead of throwing.
    source = createReadStream(file.path).pipe(createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH }));
  } else {
    const size = (await stat(file.path).catch(() => null))?.size ?? 0;
    if (size === 0) return;
    source = createReadStream(file.path, { start: 0, end: size - 1 });
  }
  let rest: Buffer | null = null;
  try {
    for await (const data of source as AsyncIterable<Buffer>) {
      const chunk: Buffer = rest === null ? data : Buffer.concat([rest, data]);
      const lines: string[] = [];
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
        if (nl > start) lines.push(chunk.toString("latin1", start, nl));
        start = nl + 1;
      }
      rest = start < chunk.length ? chunk.subarray(start) : null;
      if (lines.length) yield lines;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "Z_BUF_ERROR" && code !== "Z_DATA_ERROR") throw error; // deleted by retention, or damaged: stop at what was read
  } finally {
    (source as unknown as { destroy?: () => void }).destroy?.();
  }
}
