import { describe, expect, it } from "vitest";
import { AddressLimits } from "./address-limits";
import { TokenBucket, bytesPerMs } from "./token-bucket";

describe("token bucket", () => {
  it("converts Mbit/s to bytes (10^6 bits, 8 bits a byte) and bursts 100 ms worth, at least 16 KiB", () => {
    expect(bytesPerMs(1)).toBe(125);
    expect(new TokenBucket(1, 0).burstBytes).toBe(16 * 1024);
    expect(new TokenBucket(100, 0).burstBytes).toBe(1_250_000);
  });

  it("shapes: sends within the burst, then returns the wait until the debt is paid", () => {
    const b = new TokenBucket(1, 0); // 125 bytes/ms, burst 16 384
    expect(b.take(16_384, 0)).toBe(0);
    expect(b.take(12_500, 0)).toBe(100); // 12 500 bytes of debt at 125 bytes/ms
    expect(b.take(0, 50)).toBe(50); // half of it refilled
    expect(b.take(0, 100)).toBe(0);
    expect(b.take(125, 1_000_000)).toBe(0); // refill stops at the burst
    expect(b.take(16_384, 1_000_000)).toBe(1);
  });

  it("polices: tryTake passes only what fits, nothing is debited for a drop", () => {
    const b = new TokenBucket(1, 0);
    expect(b.tryTake(10_000, 0)).toBe(true);
    expect(b.tryTake(10_000, 0)).toBe(false);
    expect(b.tryTake(6_384, 0)).toBe(true);
    expect(b.tryTake(1, 0)).toBe(false);
    expect(b.tryTake(1_250, 10)).toBe(true);
  });

  it("applies a rate change at once and keeps the balance; a disabled bucket lets everything pass", () => {
    const b = new TokenBucket(1, 0);
    b.take(16_384 + 125_000, 0); // one second of debt at 1 Mbit/s
    b.setRate(10, 0);
    expect(b.take(0, 0)).toBe(100); // the same debt at 10 Mbit/s
    b.disable();
    expect(b.take(10_000_000, 0)).toBe(0);
    expect(b.tryTake(10_000_000, 0)).toBe(true);
    expect(b.megabitsPerSecond).toBe(0);
    b.setRate(2, 1000);
    expect(b.megabitsPerSecond).toBe(2);
    expect(b.tryTake(1, 1000)).toBe(false); // re-enabled from an empty balance
  });
});

describe("address limits", () => {
  it("keeps a bucket per address across snapshots, updates its rate, disables removed ones", () => {
    const limits = new AddressLimits();
    expect(limits.bucketFor("127.20.0.1")).toBeNull();
    limits.apply([{ address: "127.20.0.1", megabitsPerSecond: 5 }]);
    const bucket = limits.bucketFor("127.20.0.1")!;
    expect(bucket.megabitsPerSecond).toBe(5);
    expect(limits.bucketFor("127.10.0.1")).toBeNull();

    limits.apply([{ address: "127.20.0.1", megabitsPerSecond: 50 }, { address: "127.20.0.2", megabitsPerSecond: 1 }]);
    expect(limits.bucketFor("127.20.0.1")).toBe(bucket);
    expect(bucket.megabitsPerSecond).toBe(50);
    expect(limits.size).toBe(2);

    limits.apply(undefined); // an old snapshot without limits
    expect(limits.bucketFor("127.20.0.1")).toBeNull();
    expect(bucket.take(100_000_000)).toBe(0); // connections still holding it run unlimited
  });
});
