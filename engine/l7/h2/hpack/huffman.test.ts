import { describe, expect, it } from "vitest";
import { EOS, HUFFMAN_CODES, HUFFMAN_LENGTHS } from "./huffman-code";
import { huffmanDecode } from "./huffman-decoder";

/** Test-side Huffman encoder: symbols' codes packed MSB first, then `padding` bits (default: EOS's leading ones to the octet). */
function huffmanEncode(symbols: number[], padWithOnes = true): Buffer {
  let bits = "";
  for (const symbol of symbols) bits += HUFFMAN_CODES[symbol]!.toString(2).padStart(HUFFMAN_LENGTHS[symbol]!, "0");
  while (bits.length % 8 !== 0) bits += padWithOnes ? "1" : "0";
  const out = Buffer.alloc(bits.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  return out;
}

function decodeHex(hex: string): string | null {
  const buf = Buffer.from(hex, "hex");
  return huffmanDecode(buf, 0, buf.length);
}

function octets(s: string): number[] {
  return [...Buffer.from(s, "latin1")];
}

describe("HPACK Huffman code (RFC 7541 Appendix B)", () => {
  it("derives the codes the RFC prints from the code lengths", () => {
    const printed: [number, number, number][] = [
      // [symbol, code, length] from Appendix B
      [0, 0x1ff8, 13],
      [1, 0x7fffd8, 23],
      [10, 0x3ffffffc, 30],
      [32, 0x14, 6],
      [48, 0x0, 5],
      [58, 0x5c, 7],
      [97, 0x3, 5],
      [126, 0x1ffd, 13],
      [127, 0xffffffc, 28],
      [128, 0xfffe6, 20],
      [199, 0x1ffffec, 25],
      [255, 0x3ffffee, 26],
      [EOS, 0x3fffffff, 30],
    ];
    for (const [symbol, code, length] of printed) {
      expect([HUFFMAN_CODES[symbol], HUFFMAN_LENGTHS[symbol]], `symbol ${symbol}`).toEqual([code, length]);
    }
    expect(HUFFMAN_LENGTHS).toHaveLength(257);
    // A complete prefix code: Kraft sum exactly 1.
    expect(HUFFMAN_LENGTHS.reduce((sum, length) => sum + 2 ** -length, 0)).toBe(1);
  });

  it("decodes the Huffman strings of Appendix C", () => {
    expect(decodeHex("f1e3c2e5f23a6ba0ab90f4ff")).toBe("www.example.com");
    expect(decodeHex("a8eb10649cbf")).toBe("no-cache");
    expect(decodeHex("25a849e95ba97d7f")).toBe("custom-key");
    expect(decodeHex("25a849e95bb8e8b4bf")).toBe("custom-value");
    expect(decodeHex("6402")).toBe("302");
    expect(decodeHex("640eff")).toBe("307");
    expect(decodeHex("aec3771a4b")).toBe("private");
    expect(decodeHex("d07abe941054d444a8200595040b8166e082a62d1bff")).toBe("Mon, 21 Oct 2013 20:13:21 GMT");
    expect(decodeHex("9d29ad171863c78f0b97c8e9ae82ae43d3")).toBe("https://www.example.com");
    expect(decodeHex("9bd9ab")).toBe("gzip");
    expect(
      decodeHex("94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007"),
    ).toBe("foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1");
    expect(decodeHex("")).toBe("");
  });

  it("decodes every octet value, in strings of many lengths (two symbols finishing in one input octet included)", () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let length = 0; length < 300; length += 7) {
      const symbols = Array.from({ length }, () => Math.floor(random() * 256));
      const encoded = huffmanEncode(symbols);
      expect(huffmanDecode(encoded, 0, encoded.length)).toBe(Buffer.from(symbols).toString("latin1"));
    }
    const all = Array.from({ length: 256 }, (_, i) => i);
    const encoded = huffmanEncode(all);
    expect(huffmanDecode(encoded, 0, encoded.length)).toBe(Buffer.from(all).toString("latin1"));
    // Decodes a slice, not the whole buffer.
    const framed = Buffer.concat([Buffer.from([0x00, 0x00]), huffmanEncode(octets("0a")), Buffer.from([0x00])]);
    expect(huffmanDecode(framed, 2, framed.length - 1)).toBe("0a");
  });

  it("grows its scratch buffer for a long string", () => {
    const long = "a".repeat(20_000); // 100 000 bits; the first scratch is 4096 octets
    const encoded = huffmanEncode(octets(long));
    expect(huffmanDecode(encoded, 0, encoded.length)).toBe(long);
  });

  it("accepts padding of 1 to 7 bits of ones", () => {
    expect(huffmanDecode(Buffer.from([0x07]), 0, 1)).toBe("0"); // 00000 + 111
    const sevenBits = huffmanEncode([199]); // 25-bit code + 7 bits of padding
    expect(sevenBits).toHaveLength(4);
    expect(huffmanDecode(sevenBits, 0, 4)).toBe("\xc7");
  });

  it("refuses EOS inside the string, padding longer than 7 bits, padding not all ones", () => {
    const withEos = huffmanEncode([...octets("a"), EOS, ...octets("b")]);
    expect(huffmanDecode(withEos, 0, withEos.length)).toBeNull();
    const endingInEos = huffmanEncode([...octets("ab"), EOS]);
    expect(huffmanDecode(endingInEos, 0, endingInEos.length)).toBeNull();
    // 8 and 15 bits of ones: padding longer than 7 bits
    expect(huffmanDecode(Buffer.from([0xff]), 0, 1)).toBeNull();
    const longPadding = Buffer.concat([huffmanEncode([199]), Buffer.from([0xff])]);
    expect(huffmanDecode(longPadding, 0, longPadding.length)).toBeNull();
    // 'a' = 00011, then 000 / 110 / 011 as padding
    expect(huffmanDecode(Buffer.from([0b00011000]), 0, 1)).toBeNull();
    expect(huffmanDecode(Buffer.from([0b00011110]), 0, 1)).toBeNull();
    expect(huffmanDecode(Buffer.from([0b00011011]), 0, 1)).toBeNull();
    const zeroPadded = huffmanEncode(octets("www"), false);
    expect(huffmanDecode(zeroPadded, 0, zeroPadded.length)).toBeNull();
  });
});
