import { afterEach, describe, expect, it, vi } from "vitest";
import { RecordingObserver } from "../test-support/recording-observer";
import { createConnectionContext } from "./connection-context";
import { DescriptorLimitLog, isDescriptorExhaustion, reportDescriptorExhaustion } from "./descriptor-limit";

const emfile = () => Object.assign(new Error("accept EMFILE"), { code: "EMFILE", syscall: "accept" });

afterEach(() => {
  vi.useRealTimers();
});

describe("descriptor limit log", () => {
  it("logs the first failure at once, then one line per window with the count by operation, until a quiet window", () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const log = new DescriptorLimitLog((line) => lines.push(line), 5000);
    log.record(emfile(), "accept", "127.0.0.1:8080");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^descriptor limit reached \(EMFILE\) at accept 127\.0\.0\.1:8080: /);
    for (let i = 0; i < 1000; i++) log.record(emfile(), "accept");
    for (let i = 0; i < 7; i++) log.record(emfile(), "connect");
    expect(lines).toHaveLength(1); // a storm of failures is not a storm of lines
    vi.advanceTimersByTime(4999);
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(lines[1]).toBe("descriptor limit (EMFILE): 1007 more failures in the last 5 s (accept 1000, connect 7)");
    log.record(emfile(), "accept");
    vi.advanceTimersByTime(5000);
    expect(lines[2]).toBe("descriptor limit (EMFILE): 1 more failure in the last 5 s (accept 1)");
    vi.advanceTimersByTime(5000); // a window without failures: nothing, and the window closes
    expect(lines).toHaveLength(3);
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(3);
    log.record(Object.assign(new Error("ENFILE"), { code: "ENFILE" }), "connect", "10.1.1.1:80");
    expect(lines).toHaveLength(4); // after a quiet window the next failure is logged at once again
    expect(lines[3]).toMatch(/^descriptor limit reached \(ENFILE\) at connect 10\.1\.1\.1:80: /);
    log.stop();
  });

  it("reports each failure to the observer as an internal error with its cause", () => {
    const observer = new RecordingObserver();
    const context = createConnectionContext({ listenerId: "l1", localAddress: "127.0.0.1", localPort: 80, bandwidth: null, observer }, undefined, undefined);
    const lines: string[] = [];
    const log = new DescriptorLimitLog((line) => lines.push(line));
    const err = emfile();
    reportDescriptorExhaustion(context, err, "accept", "127.0.0.1:80", log);
    reportDescriptorExhaustion(context, err, "accept", "127.0.0.1:80", log);
    expect(observer.of("error")).toEqual([
      { type: "error", kind: "internal", cause: err },
      { type: "error", kind: "internal", cause: err },
    ]);
    expect(lines).toHaveLength(1);
    log.stop();
  });

  it("recognises EMFILE and ENFILE only", () => {
    expect(isDescriptorExhaustion(emfile())).toBe(true);
    expect(isDescriptorExhaustion(Object.assign(new Error(), { code: "ENFILE" }))).toBe(true);
    expect(isDescriptorExhaustion(Object.assign(new Error(), { code: "ECONNREFUSED" }))).toBe(false);
    expect(isDescriptorExhaustion(null)).toBe(false);
  });
});
