import { mkdtempSync, rmSync, statSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseStatusFilter } from "./status-filter";
import { searchStream } from "./search-stream";
import { testLine, writeTestFile } from "./test-lines";

/**
 * Responsiveness over a day of logs: 24 finished hour files (gzip) of 41 667 realistic table 7-1 lines
 * each (~1 M lines, ~400 MB uncompressed). Bounds, on the shared 2-core test machine: the first page of
 * an unfiltered search in under 2 s (it reads the newest hour only); a filtered search whose only
 * matches are in the day's first hour (so every line of the day is scanned) in under 15 s (measured here: ~0.65 s and ~3 s).
 */
const FIRST_PAGE_BOUND_MS = 2_000;
const WHOLE_DAY_BOUND_MS = 15_000;
const HOURS = 24;
const PER_HOUR = 41_667;
const DAY0 = Date.UTC(2026, 10, 30, 0);
const H = 3_600_000;
const root = mkdtempSync(path.join(os.tmpdir(), "elb-access-day-"));
const folder = path.join(root, "g", "s");
const PATHS = ["/", "/api/orders", "/api/users/17", "/static/app.js", "/static/style.css", "/img/logo.png", "/api/cart?id=42"];

beforeAll(() => {
  for (let h = 0; h < HOURS; h++) {
    const lines: string[] = new Array(PER_HOUR);
    for (let i = 0; i < PER_HOUR; i++) {
      const ms = DAY0 + h * H + Math.floor((i * H) / PER_HOUR);
      const status = i % 97 === 0 ? 502 : i % 31 === 0 ? 404 : 200;
      // The rare client: only in hour 0, a handful of times.
      const clientIp = h === 0 && i % 10_000 === 5 ? "198.51.100.250" : `10.0.${i % 250}.${(i * 7) % 250}`;
      lines[i] = testLine({ ms, status, clientIp, path: PATHS[i % PATHS.length] });
    }
    writeTestFile(folder, DAY0 + h * H, 0, lines, { gzip: true });
  }
}, 240_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const day = { fromMs: DAY0, toMs: DAY0 + HOURS * H - 1 };
const timed = async <T>(run: () => Promise<T>) => {
  const started = performance.now();
  const result = await run();
  return { result, ms: performance.now() - started };
};

describe("a day of access logs", () => {
  it("holds ~1 M lines in 24 gzip hour files", () => {
    const files = readdirSync(folder);
    expect(files).toHaveLength(HOURS);
    const bytes = files.reduce((n, f) => n + statSync(path.join(folder, f)).size, 0);
    expect(bytes).toBeGreaterThan(1_000_000);
  });

  it(`answers the first page within ${FIRST_PAGE_BOUND_MS} ms, reading one hour`, async () => {
    const { result, ms } = await timed(() => searchStream(folder, day, 50));
    console.log(`[access-log day] first page: ${ms.toFixed(0)} ms, ${result.linesScanned} lines read`);
    expect(result.records).toHaveLength(50);
    expect(Math.round(result.records[0]!.entry.msec * 1000)).toBe(DAY0 + 23 * H + Math.floor(((PER_HOUR - 1) * H) / PER_HOUR));
    expect(result.linesScanned).toBe(PER_HOUR);
    expect(ms).toBeLessThan(FIRST_PAGE_BOUND_MS);
    const filtered = await timed(() => searchStream(folder, { ...day, status: (parseStatusFilter("5xx") as { ok: true; filter: Uint8Array }).filter }, 50));
    console.log(`[access-log day] first page of 5xx: ${filtered.ms.toFixed(0)} ms`);
    expect(filtered.result.records.map((r) => r.entry.status)).toEqual(new Array(50).fill(502));
    expect(filtered.ms).toBeLessThan(FIRST_PAGE_BOUND_MS);
  }, 60_000);

  it(`finds a rare client seen only in the first hour within ${WHOLE_DAY_BOUND_MS} ms, scanning the whole day`, async () => {
    const { result, ms } = await timed(() => searchStream(folder, { ...day, clientIp: "198.51.100.250" }, 50));
    console.log(`[access-log day] rare client over the day: ${ms.toFixed(0)} ms, ${result.linesScanned} lines read`);
    expect(result.records.map((r) => r.entry.remoteAddr)).toEqual(new Array(Math.ceil((PER_HOUR - 5) / 10_000)).fill("198.51.100.250"));
    expect(result.linesScanned).toBe(HOURS * PER_HOUR);
    expect(result.olderCursor).toBeNull();
    expect(ms).toBeLessThan(WHOLE_DAY_BOUND_MS);
  }, 120_000);
});
