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
});
