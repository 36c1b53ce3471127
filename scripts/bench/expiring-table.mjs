// Micro-benchmark (not a test) of engine/pools/sticky/expiring-table.ts, the table behind source-IP and
// application-cookie stickiness. `node scripts/bench/expiring-table.mjs [file.ts]` (default: the
// current one; pass e.g. an older version from `git show <commit>:<path> > old.ts` to compare).
// Cases, each in a fresh table bounded at EXPIRING_TABLE_BOUND (100 000) keys with a distinct string
// key per insert, a fake clock, the median of EXPIRING_TABLE_ROUNDS (3) runs:
// - fill:      inserts below the bound, into an empty table;
// - evict:     inserts past the bound (each evicts the least recently used entry), after the fill;
// - expire:    inserts with the clock moving so that each one sweeps one expired entry (below the bound);
// - get+set:   a refreshing get of a live key before every insert past the bound.
import { transformSync } from "esbuild";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const file = path.resolve(process.argv[2] ?? new URL("../../engine/pools/sticky/expiring-table.ts", import.meta.url).pathname);
const bound = Number(process.env.EXPIRING_TABLE_BOUND ?? 100_000);
const past = Number(process.env.EXPIRING_TABLE_PAST ?? 200_000);
const rounds = Number(process.env.EXPIRING_TABLE_ROUNDS ?? 3);

const dir = mkdtempSync(path.join(tmpdir(), "expiring-table-bench-"));
const out = path.join(dir, "expiring-table.mjs");
writeFileSync(out, transformSync(readFileSync(file, "utf8"), { loader: "ts", format: "esm", target: "node20" }).code);
const { ExpiringTable } = await import(pathToFileURL(out).href);
rmSync(dir, { recursive: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const keys = Array.from({ length: bound + past }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);

/** One run: ms for `fill` inserts, then ms for `past` more (with `before(t, i)` before each of those). */
function run({ duration = 3_600_000, fill = bound, more = past, tick = 0, before } = {}) {
  const clock = { now: 0 };
  const t = new ExpiringTable(duration, bound, () => clock.now);
  let start = performance.now();
  for (let i = 0; i < fill; i++) {
    clock.now += tick;
    t.set(keys[i], "m");
  }
  const fillMs = performance.now() - start;
  start = performance.now();
  for (let i = fill; i < fill + more; i++) {
    clock.now += tick;
    if (before !== undefined) before(t, i);
    t.set(keys[i], "m");
  }
  const moreMs = performance.now() - start;
  if (t.size > bound) throw new Error(`size ${t.size} over the bound ${bound}`);
  return { fillMs, moreMs };
}

const rate = (n, ms) => `${((n / ms) * 1000).toFixed(0).padStart(10)} inserts/s (${ms.toFixed(1)} ms for ${n})`;
function report(name, n, runs, pick) {
  const ms = median(runs.map(pick));
  console.log(`${name.padEnd(8)} ${rate(n, ms)}`);
}

console.log(`${path.relative(process.cwd(), file)}: bound ${bound}, ${past} past it, median of ${rounds}`);
const evict = Array.from({ length: rounds }, () => run());
report("fill", bound, evict, (r) => r.fillMs);
report("evict", past, evict, (r) => r.moreMs);
// Duration 50 000 ms, the clock 1 ms further per insert: past the first 50 000 each insert sweeps one expired entry.
const expire = Array.from({ length: rounds }, () => run({ duration: 50_000, fill: 50_000, more: past, tick: 1 }));
report("expire", past, expire, (r) => r.moreMs);
const getSet = Array.from({ length: rounds }, () =>
  run({ before: (t, i) => t.get(keys[i - (bound >> 1)]) }),
);
report("get+set", past, getSet, (r) => r.moreMs);
