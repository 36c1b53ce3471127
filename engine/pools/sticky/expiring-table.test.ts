import { describe, expect, it } from "vitest";
import { ExpiringTable } from "./expiring-table";

function table(durationMs: number, maxEntries = 10) {
  const clock = { now: 0, reads: 0 };
  const t = new ExpiringTable<string, number>(durationMs, maxEntries, () => (clock.reads++, clock.now));
  return { t, clock };
}

describe("ExpiringTable", () => {
  it("expires an entry durationMs after its last use, refreshed by every get", () => {
    const { t, clock } = table(1000);
    t.set("k", 1);
    clock.now = 999;
    expect(t.get("k")).toBe(1); // refreshed to 1999
    clock.now = 1998;
    expect(t.get("k")).toBe(1); // refreshed to 2998
    clock.now = 2998; // expiry is exclusive: expiresAt <= now is gone
    expect(t.get("k")).toBeUndefined();
    expect(t.size).toBe(0); // an expired get drops the entry
    expect(t.get("k")).toBeUndefined();
  });

  it("rebinds a key in place with a fresh expiry, without evicting another", () => {
    const { t, clock } = table(1000, 2);
    t.set("a", 1);
    t.set("b", 2);
    clock.now = 500;
    t.set("a", 3);
    expect(t.size).toBe(2);
    clock.now = 1200; // b expired at 1000, a lives until 1500
    expect(t.get("b")).toBeUndefined();
    expect(t.get("a")).toBe(3);
  });

  it("evicts the least recently used entry at the bound", () => {
    const { t } = table(60_000, 3);
    for (const [i, k] of ["a", "b", "c"].entries()) t.set(k, i);
    expect(t.get("a")).toBe(0); // a is now the most recent: b is the oldest
    t.set("d", 3);
    expect(t.size).toBe(3);
    expect(t.get("b")).toBeUndefined();
    t.set("e", 4); // next oldest: c
    expect(t.get("c")).toBeUndefined();
    expect([t.get("a"), t.get("d"), t.get("e")]).toEqual([0, 3, 4]);
  });

  it("sweeps every expired entry from the front on set, so they free their slots", () => {
    const { t, clock } = table(100, 3);
    t.set("a", 1);
    t.set("b", 2);
    clock.now = 50;
    t.set("c", 3);
    clock.now = 120; // a and b expired at 100, c lives until 150
    t.set("d", 4);
    expect(t.size).toBe(2);
    expect(t.get("c")).toBe(3); // not evicted: the swept entries made room
    expect(t.get("d")).toBe(4);
  });

  it("applies a new duration to entries as they are next set or refreshed", () => {
    const { t, clock } = table(1000);
    t.set("old", 1);
    t.setDuration(100);
    clock.now = 500;
    expect(t.get("old")).toBe(1); // still under its 1000 ms expiry; refreshed with 100 ms
    t.set("new", 2);
    clock.now = 600;
    expect(t.get("old")).toBeUndefined();
    expect(t.get("new")).toBeUndefined();
  });

  it("reads the clock once per get of a present key, never for an absent one", () => {
    const { t, clock } = table(1000);
    t.set("k", 1);
    const before = clock.reads;
    t.get("absent");
    expect(clock.reads).toBe(before);
    t.get("k");
    expect(clock.reads).toBe(before + 1);
  });

  it("deletes and clears", () => {
    const { t } = table(1000);
    t.set("a", 1);
    t.set("b", 2);
    t.delete("a");
    expect(t.get("a")).toBeUndefined();
    expect(t.size).toBe(1);
    t.clear();
    expect(t.size).toBe(0);
  });

  it("keeps the order of last use through deletes and expired gets anywhere in the table", () => {
    const { t, clock } = table(1000, 4);
    for (const [i, k] of ["a", "b", "c", "d"].entries()) t.set(k, i);
    t.delete("b"); // a middle entry
    t.delete("a"); // the oldest
    t.set("e", 4); // c d e
    t.delete("e"); // the newest
    t.set("f", 5);
    t.set("g", 6); // c d f g: at the bound
    t.set("h", 7); // evicts c
    expect([t.get("c"), t.size]).toEqual([undefined, 4]);
    clock.now = 500;
    t.get("f"); // d g h f; f lives until 1500
    clock.now = 1000; // d, g and h expired
    expect(t.get("g")).toBeUndefined(); // dropped from the middle: d h f
    t.set("i", 8); // sweeps d and h, stops at f
    expect(t.size).toBe(2);
    expect([t.get("f"), t.get("i")]).toEqual([5, 8]);
    t.clear();
    t.set("j", 9);
    expect([t.size, t.get("j")]).toEqual([1, 9]);
  });

  it("behaves like a plain model of it over a random sequence of operations", () => {
    // The model: an array in order of last use, swept from the front, evicting the front at the bound.
    const model: { key: string; value: number; expiresAt: number }[] = [];
    const find = (key: string) => model.findIndex((e) => e.key === key);
    let duration = 50;
    const bound = 8;
    const { t, clock } = table(duration, bound);
    const seen = { evicted: 0, swept: 0, expiredGets: 0, refreshed: 0 }; // the test covers each of these
    let seed = 12345;
    const random = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), (seed >>> 16) % n);
    for (let step = 0; step < 20_000; step++) {
      const key = `k${random(12)}`;
      const op = random(100);
      clock.now += random(16) === 0 ? random(80) : random(3); // now and then a pause long enough for entries to expire
      if (op < 45) {
        const e = model[find(key)];
        let expected: number | undefined;
        if (e !== undefined) {
          model.splice(model.indexOf(e), 1);
          if (e.expiresAt <= clock.now) seen.expiredGets++;
          else {
            seen.refreshed++;
            expected = e.value;
            e.expiresAt = clock.now + duration;
            model.push(e);
          }
        }
        expect(t.get(key), `step ${step}: get ${key}`).toBe(expected);
      } else if (op < 90) {
        while ((model[0]?.expiresAt ?? Infinity) <= clock.now) (model.shift(), seen.swept++);
        const i = find(key);
        if (i >= 0) model.splice(i, 1);
        else if (model.length >= bound) (model.shift(), seen.evicted++);
        model.push({ key, value: step, expiresAt: clock.now + duration });
        t.set(key, step);
      } else if (op < 97) {
        const i = find(key);
        if (i >= 0) model.splice(i, 1);
        t.delete(key);
      } else if (op < 99) {
        duration = 20 + random(60); // entries of several durations: use order is no longer expiry order
        t.setDuration(duration);
      } else {
        model.length = 0;
        t.clear();
      }
      expect(t.size, `step ${step}: size`).toBe(model.length);
    }
    for (const [what, n] of Object.entries(seen)) expect(n, what).toBeGreaterThan(200);
  });

  // Past the bound every insert evicts one entry, and with a moving clock every insert sweeps one:
  // both must stay O(1). (They were O(deleted slots at the Map's front): ~7 000 and ~28 000 inserts/s,
  // ~27 s and ~7 s for the 200 000 past the first 100 000 here, against 0.1-0.5 s each now on this box.)
  // Each case gives up as soon as it is over budget, so a slow table fails in 1.5 s, not 30.
  const BUDGET_MS = 1500;
  const ips = Array.from({ length: 300_000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  /** Sets every one of `ips` (value: its index), the clock `tick` ms further before each; gives up over budget. */
  function insertsWithinBudget(t: ExpiringTable<string, number>, clock: { now: number }, tick: number) {
    const start = performance.now();
    let done = 0;
    for (const ip of ips) {
      clock.now += tick;
      t.set(ip, done++);
      if ((done & 1023) === 0 && performance.now() - start > BUDGET_MS) break;
    }
    return { done, ms: performance.now() - start };
  }

  it("inserts 300 000 keys into a table bounded at 100 000 within 1.5 s (eviction at the bound is O(1))", () => {
    const { t, clock } = table(3_600_000, 100_000);
    const run = insertsWithinBudget(t, clock, 0);
    expect(run.done, `${run.done} inserts in ${run.ms.toFixed(0)} ms`).toBe(300_000);
    expect(t.size).toBe(100_000);
    expect(t.get("10.4.147.223")).toBe(299_999); // the newest stays
    expect(t.get("10.3.13.64")).toBe(200_000); // the oldest left
    expect(t.get("10.3.13.63")).toBeUndefined(); // and the one before it was evicted
  });

  it("inserts 300 000 keys that each sweep one expired entry within 1.5 s (the sweep is O(1))", () => {
    const { t, clock } = table(50_000, 100_000); // 1 ms per insert: each lives for 50 000 inserts
    const run = insertsWithinBudget(t, clock, 1);
    expect(run.done, `${run.done} inserts in ${run.ms.toFixed(0)} ms`).toBe(300_000);
    expect(t.size).toBe(50_000);
  });
});
