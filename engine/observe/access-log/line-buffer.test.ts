import { describe, expect, it } from "vitest";
import { escapeLogValue, formatSeconds } from "../../protocol/access-log-line";
import { LineBuffer, lineBytes } from "./line-buffer";

/** What one call writes, from a 1-byte buffer (every write has to grow it). */
function written(write: (out: LineBuffer) => void): string {
  const out = new LineBuffer(1);
  write(out);
  return out.toString();
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

describe("LineBuffer", () => {
  it("escapes exactly as escapeLogValue (nginx escape=default), chars above 0xff and lone surrogates included", () => {
    for (const s of samples()) expect(written((out) => out.escaped(s))).toBe(escapeLogValue(s));
  });

  it("bare: a space and a leading '[' escaped too (the SNI field), nothing else differs", () => {
    for (const s of samples()) {
      let expected = escapeLogValue(s).replace(/ /g, "\\x20");
      if (expected.charCodeAt(0) === 0x5b) expected = "\\x5B" + expected.slice(1);
      expect(written((out) => out.escaped(s, true))).toBe(expected);
    }
    expect(written((out) => out.escaped("a[b c", true))).toBe("a[b\\x20c"); // only a leading "[" is escaped
  });

  it("writes whole numbers in decimal and anything else as String does", () => {
    for (const n of [0, 7, 9, 10, 99, 100, 101, 65535, 1_000_000, 4_294_967_295, 4_294_967_296, -1, 1.5, 12345678901]) {
      expect(written((out) => out.int(n))).toBe(String(n));
    }
  });

  it("writes durations as formatSeconds does", () => {
    for (const ms of [0, 1, 3, 9, 10, 45, 99, 100, 999, 1000, 1234.4, 1234.5, 60_010, -2, 86_400_000, 1_764_631_571_123]) {
      expect(written((out) => out.seconds(ms))).toBe(formatSeconds(ms));
    }
  });

  it("copies constants made by lineBytes, short ones (by a loop) and long ones (by set) alike", () => {
    for (const s of ["", "-", '" ', "0123456789abcdef", "0123456789abcdefg", '" loadbalancer_lb-1 listener_l-1 l-1 ', "\xff\x80 latin1"]) {
      expect(written((out) => out.bytes(lineBytes(s)))).toBe(s);
    }
    expect(written((out) => [0x22, 0x20, 0x0a].forEach((c) => out.byte(c)))).toBe('" \n');
    for (const n of [0, 5, 50, 999]) expect(written((out) => out.fraction(n))).toBe(formatSeconds(n).slice(1));
  });

  it("keeps what was written when it grows, and starts over after reset", () => {
    const out = new LineBuffer(2);
    const long = lineBytes("a constant longer than sixteen bytes");
    for (let i = 0; i < 500; i++) {
      out.text("ab");
      out.int(i);
      out.escaped('"');
      out.bytes(long);
      out.byte(0x2c);
      out.seconds(i);
    }
    let expected = "";
    for (let i = 0; i < 500; i++) expected += `ab${i}\\x22a constant longer than sixteen bytes,${formatSeconds(i)}`;
    expect(out.toString()).toBe(expected);
    out.reset();
    out.text("x");
    expect(out.toString()).toBe("x");
  });
});
