import { describe, expect, it } from "vitest";
import { escapeLogValue, formatSeconds } from "../../protocol/access-log-line";
import { ESCAPED_BYTES_PER_CHAR, NUMBER_BYTES, lineBytes, putByte, putBytes, putEscaped, putFraction, putInt, putSeconds, putText } from "./line-bytes";

/**
 * What one call writes at offset 3 of a buffer with room to spare (filled with 0xee first), as a
 * string; `bound` is the most it may take: the bytes past it must be untouched.
 */
function written(write: (buf: Buffer, at: number) => number, bound = 4096): string {
  const buf = Buffer.alloc(3 + bound + 64, 0xee);
  const end = write(buf, 3);
  expect(end - 3).toBeLessThanOrEqual(bound);
  expect(buf.subarray(end).every((b) => b === 0xee)).toBe(true);
  expect(buf.subarray(0, 3).every((b) => b === 0xee)).toBe(true);
  return buf.toString("latin1", 3, end);
}

/** A deterministic generator of strings over the characters that matter for escaping. */
function* samples(): Generator<string> {
  const alphabet = ["a", "Z", " ", "[", '"', "\\", "\x00", "\x1f", "\x7e", "\x7f", "\x80", "\xe9", "\xff", "\u0100", "\u20ac", "\ud83d", "\ude00", "/", "%"];
  let seed = 12345;
  for (let n = 0; n < 2000; n++) {
    let s = "";
    const length = n % 40;
    for (let i = 0; i < length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      s += alphabet[seed % alphabet.length];
    }
    yield s;
  }
  yield "😀 emoji [x]";
  yield "[leading";
}

describe("line bytes", () => {
  it("escapes exactly as escapeLogValue (nginx escape=default), chars above 0xff and lone surrogates included, within ESCAPED_BYTES_PER_CHAR a char", () => {
    for (const s of samples()) expect(written((buf, at) => putEscaped(buf, at, s), ESCAPED_BYTES_PER_CHAR * s.length)).toBe(escapeLogValue(s));
    expect(written((buf, at) => putEscaped(buf, at, "\u20ac\u20ac"), 2 * ESCAPED_BYTES_PER_CHAR)).toBe("\\xE2\\x82\\xAC\\xE2\\x82\\xAC"); // the worst case: the whole bound
  });

  it("bare: a space and a leading '[' escaped too (the SNI field), nothing else differs", () => {
    for (const s of samples()) {
      let expected = escapeLogValue(s).replace(/ /g, "\\x20");
      if (expected.charCodeAt(0) === 0x5b) expected = "\\x5B" + expected.slice(1);
      expect(written((buf, at) => putEscaped(buf, at, s, true), ESCAPED_BYTES_PER_CHAR * s.length)).toBe(expected);
    }
    expect(written((buf, at) => putEscaped(buf, at, "a[b c", true))).toBe("a[b\\x20c"); // only a leading "[" is escaped
  });

  it("writes whole numbers in decimal and anything else as String does, within NUMBER_BYTES", () => {
    for (const n of [0, 7, 9, 10, 99, 100, 101, 65535, 1_000_000, 4_294_967_295, 4_294_967_296, -1, 1.5, 12345678901, -1.2345678901234567e-300, Number.MAX_VALUE]) {
      expect(written((buf, at) => putInt(buf, at, n), NUMBER_BYTES)).toBe(String(n));
    }
  });

  it("writes durations as formatSeconds does, within NUMBER_BYTES", () => {
    for (const ms of [0, 1, 3, 9, 10, 45, 99, 100, 999, 1000, 1234.4, 1234.5, 60_010, -2, 86_400_000, 1_764_631_571_123, Number.MAX_SAFE_INTEGER]) {
      expect(written((buf, at) => putSeconds(buf, at, ms), NUMBER_BYTES)).toBe(formatSeconds(ms));
    }
  });

  it("copies constants made by lineBytes, short ones (by a loop) and long ones (by set) alike", () => {
    for (const s of ["", "-", '" ', "0123456789abcdef", "0123456789abcdefg", '" loadbalancer_lb-1 listener_l-1 l-1 ', "\xff\x80 latin1"]) {
      expect(written((buf, at) => putBytes(buf, at, lineBytes(s)), s.length)).toBe(s);
    }
    expect(written((buf, at) => putByte(buf, putByte(buf, putByte(buf, at, 0x22), 0x20), 0x0a), 3)).toBe('" \n');
    expect(written((buf, at) => putText(buf, at, "GET \xff"), 5)).toBe("GET \xff");
    for (const n of [0, 5, 50, 999]) expect(written((buf, at) => putFraction(buf, at, n), 4)).toBe(formatSeconds(n).slice(1));
  });

  it("each write goes on where the last ended", () => {
    const long = lineBytes("a constant longer than sixteen bytes");
    const buf = Buffer.alloc(64 * 1024);
    let at = 0;
    let expected = "";
    for (let i = 0; i < 500; i++) {
      at = putText(buf, at, "ab");
      at = putInt(buf, at, i);
      at = putEscaped(buf, at, '"');
      at = putBytes(buf, at, long);
      at = putByte(buf, at, 0x2c);
      at = putSeconds(buf, at, i);
      expected += `ab${i}\\x22a constant longer than sixteen bytes,${formatSeconds(i)}`;
    }
    expect(buf.toString("latin1", 0, at)).toBe(expected);
  });
});
