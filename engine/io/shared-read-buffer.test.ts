import { describe, expect, it } from "vitest";
import { SharedReadBuffer, VIEW_CACHE_BYTES } from "./shared-read-buffer";

describe("SharedReadBuffer", () => {
  it("hands a read of n bytes the first n bytes of the shared buffer, the same view object for every read of that size", () => {
    const shared = new SharedReadBuffer(64 * 1024);
    shared.buf.write("hello world", 0, "latin1");
    const a = shared.chunk(5, shared.buf);
    expect(a.toString("latin1")).toBe("hello");
    expect(a.buffer).toBe(shared.buf.buffer);
    expect(a.byteOffset).toBe(shared.buf.byteOffset);
    expect(shared.chunk(5, shared.buf)).toBe(a); // kept
    const b = shared.chunk(11, shared.buf);
    expect(b.toString("latin1")).toBe("hello world");
    expect(b).not.toBe(a);
    shared.buf.write("HELLO", 0, "latin1"); // the next read's bytes show through the kept view
    expect(shared.chunk(5, shared.buf).toString("latin1")).toBe("HELLO");
    expect(shared.chunk(0, shared.buf)).toHaveLength(0);
    expect(shared.chunk(VIEW_CACHE_BYTES, shared.buf)).toHaveLength(VIEW_CACHE_BYTES);
  });

  it("makes a fresh view past the cached sizes, and passes a chunk of another buffer through", () => {
    const shared = new SharedReadBuffer(64 * 1024);
    const big = shared.chunk(VIEW_CACHE_BYTES + 1, shared.buf);
    expect(big).toHaveLength(VIEW_CACHE_BYTES + 1);
    expect(shared.chunk(VIEW_CACHE_BYTES + 1, shared.buf)).not.toBe(big);
    const data = Buffer.from("a 'data' event's own chunk");
    expect(shared.chunk(data.length, data)).toBe(data);
    expect(shared.chunk(6, data).toString()).toBe("a 'dat");
    const small = new SharedReadBuffer(16);
    expect(small.chunk(16, small.buf)).toHaveLength(16);
    expect(small.chunk(16, small.buf)).toBe(small.chunk(16, small.buf));
  });
});
