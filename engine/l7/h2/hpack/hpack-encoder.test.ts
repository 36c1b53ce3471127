import type { OutgoingHttpHeaders } from "node:http2";
import { describe, expect, it } from "vitest";
import { HpackDecoder } from "./hpack-decoder";
import { HpackEncoder } from "./hpack-encoder";

function encodeHex(headers: OutgoingHttpHeaders, encoder = new HpackEncoder()): string {
  const length = encoder.encode(headers);
  return encoder.buf.toString("hex", 0, length);
}

function hexOf(s: string): string {
  return Buffer.from(s, "latin1").toString("hex");
}

/** The header list `headers` stands for: one pair per value, numbers in decimal, undefined skipped. */
function expectedList(headers: OutgoingHttpHeaders): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) out.push(name, String(one));
  }
  return out;
}

/** Encodes, then decodes with our decoder: the list must come back as given. */
function roundTrip(headers: OutgoingHttpHeaders, encoder: HpackEncoder, decoder: HpackDecoder): string[] {
  const length = encoder.encode(headers);
  const out: string[] = [];
  expect(decoder.decode(encoder.buf, 0, length, out)).toBeGreaterThanOrEqual(0);
  return out;
}

describe("HpackEncoder", () => {
  it(":status: the static entry for 200/204/206/304/400/404/500, else a literal with name index 8", () => {
    expect(encodeHex({ ":status": 200 })).toBe("88");
    expect(encodeHex({ ":status": "204" })).toBe("89");
    expect(encodeHex({ ":status": 206 })).toBe("8a");
    expect(encodeHex({ ":status": 304 })).toBe("8b");
    expect(encodeHex({ ":status": 400 })).toBe("8c");
    expect(encodeHex({ ":status": 404 })).toBe("8d");
    expect(encodeHex({ ":status": 500 })).toBe("8e");
    expect(encodeHex({ ":status": 302 })).toBe("08" + "03" + hexOf("302"));
    expect(encodeHex({ ":status": "418" })).toBe("08" + "03" + hexOf("418"));
  });

  it("fields: literal without indexing, the static name index when there is one, else a literal name", () => {
    // content-type is static 31 = 15 + 16: 0f 10
    expect(encodeHex({ "content-type": "text/html" })).toBe("0f10" + "09" + hexOf("text/html"));
    // date is static 33 = 15 + 18; cache-control 24 = 15 + 9; age 21 = 15 + 6; accept-charset 15 = 15 + 0
    expect(encodeHex({ date: "x", "cache-control": "y", age: "5", "accept-charset": "z" })).toBe(
      "0f12" + "0178" + "0f09" + "0179" + "0f06" + "0135" + "0f00" + "017a",
    );
    // :authority is static 1, set-cookie 55 = 15 + 40: the 4-bit prefix and one continuation octet
    expect(encodeHex({ ":authority": "h", "set-cookie": ["a=1", "b=2"] })).toBe(
      "01" + "0168" + "0f28" + "03" + hexOf("a=1") + "0f28" + "03" + hexOf("b=2"),
    );
    expect(encodeHex({ "x-custom": "v" })).toBe("00" + "08" + hexOf("x-custom") + "01" + "76");
    expect(encodeHex({ "x-skip": undefined, "x-empty": "" })).toBe("00" + "07" + hexOf("x-empty") + "00");
    expect(encodeHex({})).toBe("");
  });

  it("lengths from 127 up take continuation octets", () => {
    expect(encodeHex({ "x-v": "v".repeat(126) })).toBe("0003" + hexOf("x-v") + "7e" + hexOf("v".repeat(126)));
    expect(encodeHex({ "x-v": "v".repeat(127) })).toBe("0003" + hexOf("x-v") + "7f00" + hexOf("v".repeat(127)));
    // 300 = 127 + 173 = 127 + 45 + 1·128: 7f ad 01
    expect(encodeHex({ "x-v": "v".repeat(300) })).toBe("0003" + hexOf("x-v") + "7fad01" + hexOf("v".repeat(300)));
  });

  it("writes a number in decimal", () => {
    expect(encodeHex({ "content-length": 1234 })).toBe("0f0d" + "04" + hexOf("1234"));
    expect(encodeHex({ "x-n": 0 })).toBe("0003" + hexOf("x-n") + "01" + hexOf("0"));
  });

  it("writes values as latin1, one octet per char", () => {
    expect(encodeHex({ "x-l": "caf\xe9" })).toBe("0003" + hexOf("x-l") + "04" + "636166e9");
  });

  it("round trips through the decoder, status codes in and out of the static table", () => {
    const encoder = new HpackEncoder();
    const decoder = new HpackDecoder();
    const lists: OutgoingHttpHeaders[] = [
      { ":status": 200, "content-type": "text/html; charset=utf-8", "content-length": 1234, server: "elb" },
      { ":status": 404, "x-request-id": "abc-123", vary: "accept-encoding" },
      { ":status": 418, "set-cookie": ["a=1; Path=/", "b=2; HttpOnly", "c=3"], "x-empty": "" },
      { ":status": "503", "retry-after": "30", "x-number": 30, "x-long": "L".repeat(5000), location: "/x?" + "q".repeat(200) },
      { ":status": 304, etag: '"abc"', "cache-control": "max-age=60", "x-weird-name-with-digits-123": "ok" },
    ];
    for (const headers of lists) expect(roundTrip(headers, encoder, decoder)).toEqual(expectedList(headers));
    // the encoder never touches the peer's dynamic table
    expect(decoder.table.count).toBe(0);
  });

  it("grows buf for a large block and keeps what was written before", () => {
    const encoder = new HpackEncoder();
    const first = encoder.buf;
    const headers: OutgoingHttpHeaders = { ":status": 200, "x-a": "a".repeat(3000), "x-b": "b".repeat(3000), "x-c": ["c".repeat(9000), "d"] };
    expect(roundTrip(headers, encoder, new HpackDecoder())).toEqual(expectedList(headers));
    expect(encoder.buf).not.toBe(first);
    expect(encoder.buf.length).toBeGreaterThanOrEqual(15_000);
    // a small block after a large one
    expect(encodeHex({ ":status": 204 }, encoder)).toBe("89");
  });
});
