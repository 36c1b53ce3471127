import { parseAccessLogLine } from "@/engine/protocol/access-log-line";
import { compileFilter, type AccessLogFilter } from "./access-log-filter";
import { readLineBatches } from "./read-line-batches";
import { listStreamHours, type StreamFile } from "./stream-files";

/**
 * The raw lines of a stream's folder matching `filter`, oldest first (a log file's order), each ending
 * in "\n", yielded in batches as they are read: hour by hour, the hour's worker files merged by msec.
 * Memory: one batch per worker file of the current hour, whatever the selection's size.
 */
export async function* downloadStream(folder: string, filter: AccessLogFilter): AsyncGenerator<string> {
  const compiled = compileFilter(filter);
  const selected = (line: string) => {
    const ms = Math.round(parseFloat(line) * 1000);
    if (!(ms >= filter.fromMs && ms <= filter.toMs) || !compiled.mayMatch(line)) return false;
    const entry = parseAccessLogLine(line);
    return entry !== null && compiled.matches(entry);
  };
  for (const hour of await listStreamHours(folder, filter.fromMs, filter.toMs, "oldest")) {
    if (hour.files.length === 1) {
      for await (const lines of readLineBatches(hour.files[0]!)) {
        const out = lines.filter(selected);
        if (out.length) yield out.join("\n") + "\n";
      }
      continue;
    }
    yield* mergeByMsec(hour.files, selected);
  }
}

/** The selected lines of several files, merged by their msec (each file is in finishing order). */
async function* mergeByMsec(files: StreamFile[], selected: (line: string) => boolean): AsyncGenerator<string> {
  const readers = files.map((f) => ({ it: readLineBatches(f), lines: [] as string[], at: 0, done: false }));
  const fill = async (r: (typeof readers)[number]) => {
    while (!r.done && r.at >= r.lines.length) {
      const next = await r.it.next();
      if (next.done) r.done = true;
      else {
        r.lines = next.value.filter(selected);
        r.at = 0;
      }
    }
  };
  try {
    await Promise.all(readers.map(fill));
    const out: string[] = [];
    for (;;) {
      let best: (typeof readers)[number] | null = null;
      let bestMs = Infinity;
      for (const r of readers) {
        if (r.at >= r.lines.length) continue;
        const ms = parseFloat(r.lines[r.at]!);
        if (ms < bestMs) [best, bestMs] = [r, ms];
      }
      if (best === null) break;
      out.push(best.lines[best.at++]!);
      if (best.at >= best.lines.length) {
        if (out.length) yield out.splice(0).join("\n") + "\n";
        await fill(best);
      }
    }
    if (out.length) yield out.join("\n") + "\n";
  } finally {
    // A download stopped early (client gone, an error) closes every worker file still open.
    await Promise.all(readers.map((r) => r.it.return(undefined)));
  }
}
