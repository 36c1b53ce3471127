import { describe, expect, it } from "vitest";
import { runInThreads } from "../../test-support/run-in-threads";
import { entryKey, SharedSourceIpTable, STICKY_PROBES } from "./shared-source-ip-table";

/**
 * Semantics single-threaded (hit, refresh, expiry, first writer wins, rebind, full window, key
 * collisions), then real worker_threads on one buffer (test-support/run-in-threads.ts). Threads start
 * each round together (a spin barrier) and claim the same clients with different members. Red with:
 * a plain store instead of the member word's compareExchange; no generation in the word (reclaims
 * of expired clients); no PENDING; no re-read of the word after the expiry (get or claim); no
 * validation of a foreign entry read during a scan; a REUSE word skipped instead of waited out; a
 * plain store instead of the key's compareExchange (the race for empty entries, most runs).
 */
const MINUTE = 60_000;

/** A table whose times count from 0, so `nowMs` values in the tests are ms since the base. */
function table(capacity = 1024): SharedSourceIpTable {
  return new SharedSourceIpTable(SharedSourceIpTable.allocate(capacity, 0));
}

describe("SharedSourceIpTable", () => {
  it("remembers a client's member per pool and per IP", () => {
    const t = table();
    expect(t.get(1, "10.0.0.1", MINUTE, 0)).toBe(-1);
    expect(t.claim(1, "10.0.0.1", 7, MINUTE, 0)).toBe(7);
    expect(t.get(1, "10.0.0.1", MINUTE, 10)).toBe(7);
    expect(t.get(2, "10.0.0.1", MINUTE, 10)).toBe(-1); // another pool
    expect(t.get(1, "10.0.0.2", MINUTE, 10)).toBe(-1); // another client
    expect(t.claim(1, "10.0.0.1", 0, MINUTE, 10)).toBe(7); // kept: the first writer wins
    expect(t.claim(2, "10.0.0.1", 0, MINUTE, 10)).toBe(0); // slot 0 is a member like any other
    expect(t.get(2, "10.0.0.1", MINUTE, 20)).toBe(0);
  });

  it("keeps a client for at least durationMs after its last use (at most a second more), refreshed by get", () => {
    const t = table();
    t.claim(1, "10.0.0.1", 3, MINUTE, 999); // second 0 of the base
    expect(t.get(1, "10.0.0.1", MINUTE, 999 + MINUTE)).toBe(3); // refreshed at second 60
    expect(t.get(1, "10.0.0.1", MINUTE, 999 + 2 * MINUTE)).toBe(3); // 60 s after the refresh: still there
    expect(t.get(1, "10.0.0.1", MINUTE, 999 + 3 * MINUTE + 1001)).toBe(-1); // 61 s after the last use: gone
    t.claim(1, "10.0.0.2", 4, MINUTE, 0); // at the very start of second 0
    expect(t.get(1, "10.0.0.2", MINUTE, 61_000)).toBe(-1); // 61 s later: not more than a second over
  });

  it("gives an expired client to the next claim, whoever held it before", () => {
    const t = table();
    t.claim(1, "10.0.0.1", 3, 1000, 0);
    expect(t.claim(1, "10.0.0.1", 5, 1000, 1500)).toBe(3); // still live (within a second more)
    expect(t.claim(1, "10.0.0.1", 5, 1000, 3000)).toBe(5); // expired: the new claim wins
    expect(t.get(1, "10.0.0.1", 1000, 3500)).toBe(5);
    expect(t.claim(1, "10.0.0.1", 3, 1000, 10_000)).toBe(3); // expired again, back to the first member
  });

  it("rebinds a client away from a member the caller rejected; the first rebind wins", () => {
    const t = table();
    t.claim(1, "10.0.0.1", 3, MINUTE, 0);
    expect(t.rebind(1, "10.0.0.1", 3, 8, MINUTE, 10)).toBe(8);
    expect(t.rebind(1, "10.0.0.1", 3, 9, MINUTE, 10)).toBe(8); // another thread rebinding from 3 too: 8 stays
    expect(t.get(1, "10.0.0.1", MINUTE, 20)).toBe(8);
    expect(t.rebind(1, "10.0.0.2", 3, 9, MINUTE, 20)).toBe(9); // nothing stored yet: a claim
    expect(t.get(1, "10.0.0.2", MINUTE, 20)).toBe(9);
  });

  it("when a client's probe window is full it gets the caller's member, not remembered, until an entry expires", () => {
    const t = table(STICKY_PROBES); // the window is the whole table
    for (let i = 0; i < STICKY_PROBES; i++) expect(t.claim(1, `10.0.1.${i}`, i, 1000, 0)).toBe(i);
    expect(t.claim(1, "10.0.2.1", 42, 1000, 500)).toBe(42);
    expect(t.get(1, "10.0.2.1", 1000, 500)).toBe(-1);
    for (let i = 0; i < STICKY_PROBES; i++) expect(t.get(1, `10.0.1.${i}`, 1000, 500)).toBe(i); // no one evicted
    expect(t.get(1, "10.0.1.0", 1000, 1500)).toBe(0); // refreshed: the others expire at second 2
    expect(t.claim(1, "10.0.2.1", 42, 1000, 2500)).toBe(42);
    expect(t.get(1, "10.0.2.1", 1000, 2600)).toBe(42); // stored in an expired entry
    expect(t.get(1, "10.0.1.0", 1000, 2600)).toBe(0);
    const reused = Array.from({ length: STICKY_PROBES - 1 }, (_, i) => t.get(1, `10.0.1.${i + 1}`, 1000, 2600));
    expect(reused.filter((slot) => slot === -1)).toHaveLength(STICKY_PROBES - 1);
  });

  it("two clients with the same 32-bit key share one entry, so the second gets the first one's member", () => {
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; pair === undefined; i++) {
      const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      const key = entryKey(1, ip);
      const other = seen.get(key);
      if (other !== undefined) pair = [other, ip];
      else seen.set(key, ip);
    }
    const t = table();
    expect(t.claim(1, pair[0], 3, MINUTE, 0)).toBe(3);
    expect(t.get(1, pair[1], MINUTE, 0)).toBe(3);
    expect(t.claim(1, pair[1], 4, MINUTE, 0)).toBe(3);
  });

  it("keeps key 0 for empty entries and tells pools apart by key", () => {
    expect(SharedSourceIpTable.poolKey("pool-a")).toBe(SharedSourceIpTable.poolKey("pool-a"));
    expect(SharedSourceIpTable.poolKey("pool-a")).not.toBe(SharedSourceIpTable.poolKey("pool-b"));
    for (let pool = 0; pool < 1000; pool++) expect(entryKey(pool, "::1")).not.toBe(0);
    expect(() => SharedSourceIpTable.allocate(1000)).toThrow(RangeError);
    expect(() => new SharedSourceIpTable(new SharedArrayBuffer(100))).toThrow(/bad buffer size/);
    expect(() => table().claim(1, "10.0.0.1", -1, MINUTE, 0)).toThrow(RangeError);
  });

  it("lets threads claiming the same clients at once agree on one member each: new, expired, in others' entries", async () => {
    const THREADS = 3;
    const PHASES = ["new", "expired", "reused", "mixed"] as const;
    const ROUNDS = 50; // per phase
    // new: a big table, a new pool key each round, so the same 1,000 clients are new in each round.
    // expired: one pool key, the clock 10 s on each round with a 1 s duration, so every client's
    // entry has expired and is reclaimed, often by a thread picking the member it had before (the
    // generation must tell). reused: as expired, but a new pool key each round in a 4,096-entry
    // table, so clients mostly take over other clients' expired entries (REUSE hand-overs). mixed: as
    // reused for every other client, and the others keep one pool key: their own expired entries are
    // taken over by new clients while they come back for them.
    const buffers = [1 << 18, 1 << 18, 1 << 12, 1 << 12].map((capacity) => SharedSourceIpTable.allocate(capacity, 0));
    const barrier = new SharedArrayBuffer(4);
    const results = await runInThreads<Int32Array>(
      `
      import { workerData, parentPort } from "node:worker_threads";
      import { SharedSourceIpTable } from "./shared-source-ip-table";
      const { buffers, barrier, index, threads, rounds } = workerData;
      const tables = buffers.map((b) => new SharedSourceIpTable(b));
      const arrived = new Int32Array(barrier);
      const ips = Array.from({ length: 1000 }, (_, i) => "192.168." + (i >> 8) + "." + (i & 255));
      const out = new Int32Array(tables.length * rounds * ips.length);
      let n = 0;
      for (let phase = 0; phase < tables.length; phase++) {
        const t = tables[phase];
        for (let round = 0; round < rounds; round++) {
          const pool = phase === 1 ? 1 : 1000 + round;
          const mixed = phase === 3;
          const now = phase === 0 ? 0 : round * 10000;
          const duration = phase === 0 ? 60000 : 1000;
          const start = threads * (phase * rounds + round + 1);
          Atomics.add(arrived, 0, 1);
          while (Atomics.load(arrived, 0) < start); // start each round together
          for (let i = 0; i < ips.length; i++) {
            const p = mixed && i % 2 === 0 ? 1 : pool;
            let slot = t.get(p, ips[i], duration, now);
            if (slot < 0) slot = t.claim(p, ips[i], index, duration, now); // each thread picks its own member
            out[n++] = slot;
          }
        }
      }
      parentPort.postMessage(out);
      `,
      import.meta.dirname,
      Array.from({ length: THREADS }, (_, index) => ({ buffers, barrier, index, threads: THREADS, rounds: ROUNDS })),
    );
    const wins = new Array<number>(THREADS).fill(0);
    const disagreements = { new: 0, expired: 0, reused: 0, mixed: 0 };
    for (let i = 0; i < results[0]!.length; i++) {
      const winner = results[0]![i]!;
      wins[winner]!++;
      for (const r of results) if (r[i] !== winner) disagreements[PHASES[Math.floor(i / (ROUNDS * 1000))]!]++;
    }
    expect(disagreements).toEqual({ new: 0, expired: 0, reused: 0, mixed: 0 });
    // Every client got a member, and the threads really overlapped: more than one thread won clients.
    expect(wins.reduce((a, b) => a + b)).toBe(PHASES.length * ROUNDS * 1000);
    expect(wins.filter((w) => w > 0).length).toBeGreaterThan(1);
  });

  it("stores different new clients that race for the same empty entries, each in its own entry", async () => {
    const THREADS = 3;
    const ROUNDS = 20;
    const TABLES = 100; // per round, claimed one after the other by every thread
    const PER_THREAD = 5; // 15 clients in a 16-entry table: all fit, several race for each empty entry
    const buffers = Array.from({ length: ROUNDS * TABLES }, () => SharedSourceIpTable.allocate(STICKY_PROBES, 0));
    const barrier = new SharedArrayBuffer(4);
    const results = await runInThreads<number>(
      `
      import { workerData, parentPort } from "node:worker_threads";
      import { SharedSourceIpTable } from "./shared-source-ip-table";
      const { buffers, barrier, index, threads, rounds, perThread } = workerData;
      const arrived = new Int32Array(barrier);
      const tables = buffers.map((b) => new SharedSourceIpTable(b));
      const ips = tables.map((_, n) => Array.from({ length: perThread }, (_, i) => "10." + index + "." + n + "." + i));
      const perRound = tables.length / rounds;
      let lost = 0;
      for (let round = 0; round < rounds; round++) {
        Atomics.add(arrived, 0, 1);
        while (Atomics.load(arrived, 0) < threads * (2 * round + 1)); // start together
        for (let n = round * perRound; n < (round + 1) * perRound; n++)
          for (const ip of ips[n]) if (tables[n].claim(1, ip, index, 60000, 0) !== index) lost++;
        Atomics.add(arrived, 0, 1);
        while (Atomics.load(arrived, 0) < threads * (2 * round + 2)); // every thread has claimed
        for (let n = round * perRound; n < (round + 1) * perRound; n++)
          for (const ip of ips[n]) if (tables[n].get(1, ip, 60000, 0) !== index) lost++;
      }
      parentPort.postMessage(lost);
      `,
      import.meta.dirname,
      Array.from({ length: THREADS }, (_, index) => ({
        buffers,
        barrier,
        index,
        threads: THREADS,
        rounds: ROUNDS,
        perThread: PER_THREAD,
      })),
    );
    expect(results).toEqual(new Array(THREADS).fill(0));
  });
});
