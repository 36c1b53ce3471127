import { afterEach, describe, expect, it } from "vitest";
import type { TokenBucket } from "../limits/token-bucket";
import { ShapedWriter, type ShapedTarget } from "./shaped-writer";

/**
 * ShapedWriter's contract with its target, without sockets: a bucket whose answers the test scripts,
 * and a target that records the calls. The end-to-end shaping tests (engine/limits/bandwidth.test.ts)
 * cannot see bytes read after a pause (Node stops reading at once), so the hold's accumulation and the
 * order deliver → holdReleased are pinned here.
 */
class ScriptedBucket {
  /** Milliseconds `take` answers next (0 = within the budget). */
  wait = 0;
  taken = 0;
  take(bytes: number): number {
    this.taken += bytes;
    return this.wait;
  }
}

class RecordingTarget implements ShapedTarget {
  readonly calls: string[] = [];
  readonly delivered: Buffer[] = [];
  deliverHeld(bytes: Buffer): void {
    this.calls.push(`deliver:${bytes.toString("latin1")}`);
    this.delivered.push(bytes);
  }
  pauseSource(): void {
    this.calls.push("pause");
  }
  holdReleased(): void {
    this.calls.push("released");
  }
}

const writers: ShapedWriter[] = [];
afterEach(() => {
  for (const w of writers.splice(0)) w.drop();
});

function setup(): { bucket: ScriptedBucket; target: RecordingTarget; writer: ShapedWriter } {
  const bucket = new ScriptedBucket();
  const target = new RecordingTarget();
  const writer = new ShapedWriter(bucket as unknown as TokenBucket, target);
  writers.push(writer);
  return { bucket, target, writer };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("ShapedWriter", () => {
  it("passes bytes within the budget straight through: no copy, no pause, no hold", () => {
    const { bucket, target, writer } = setup();
    expect(writer.pass(Buffer.from("abcdef"), 4)).toBe(true);
    expect(bucket.taken).toBe(4); // only buf[0, n) is debited
    expect(writer.holding).toBe(false);
    expect(target.calls).toEqual([]);
  });

  it("in debt: holds a private copy, pauses the source, then delivers and only then releases the hold", async () => {
    const { bucket, target, writer } = setup();
    bucket.wait = 30;
    const shared = Buffer.from("held!xx");
    expect(writer.pass(shared, 5)).toBe(false);
    expect(writer.holding).toBe(true);
    expect(target.calls).toEqual(["pause"]);
    shared.fill(0x2d); // the shared read buffer is overwritten by the next read
    await sleep(10);
    expect(target.calls).toEqual(["pause"]); // not before the debt is paid
    await sleep(60);
    expect(target.calls).toEqual(["pause", "deliver:held!", "released"]);
    expect(writer.holding).toBe(false);
  });

  it("keeps holding while bytes are held, even when the bucket would let the next chunk pass, and delivers them in order", async () => {
    const { bucket, target, writer } = setup();
    bucket.wait = 20;
    expect(writer.pass(Buffer.from("one,"), 4)).toBe(false);
    bucket.wait = 0; // read before the pause took effect; the budget looks fine now
    expect(writer.pass(Buffer.from("two,"), 4)).toBe(false);
    expect(writer.pass(Buffer.from("three"), 5)).toBe(false);
    await sleep(60);
    expect(target.delivered.map((b) => b.toString("latin1"))).toEqual(["one,two,three"]); // one delivery, nothing lost
    expect(target.calls.at(-1)).toBe("released");
    expect(writer.pass(Buffer.from("four"), 4)).toBe(true); // hold over: passes again
  });

  it("flush delivers the held bytes at once without releasing the hold (the source ended behind them); drop forgets them", async () => {
    const { bucket, target, writer } = setup();
    bucket.wait = 1000;
    writer.pass(Buffer.from("tail"), 4);
    expect(writer.flush()).toBe(true);
    expect(target.calls).toEqual(["pause", "deliver:tail"]);
    expect(writer.flush()).toBe(false);
    writer.pass(Buffer.from("gone"), 4);
    writer.drop();
    expect(writer.holding).toBe(false);
    await sleep(30);
    expect(target.calls).toEqual(["pause", "deliver:tail", "pause"]); // dropped bytes never arrive, no timer left
  });

  it("one timer per hold: a chunk added to a hold neither re-arms nor shortens it", async () => {
    const { bucket, target, writer } = setup();
    bucket.wait = 80;
    writer.pass(Buffer.from("a"), 1);
    bucket.wait = 5; // a later, smaller answer must not release the first chunk before its debt is paid
    writer.pass(Buffer.from("b"), 1);
    await sleep(40);
    expect(target.calls).toEqual(["pause", "pause"]);
    await sleep(90);
    expect(target.calls).toEqual(["pause", "pause", "deliver:ab", "released"]);
  });
});
