import { describe, expect, it } from "vitest";
import { HpackDecoder } from "./hpack-decoder";

type Field = [string, string];

/** Decodes a hex block whole; returns the fields as pairs and the header list size. */
function decodeHex(decoder: HpackDecoder, hex: string): { fields: Field[]; size: number } {
  const buf = Buffer.from(hex.replace(/\s+/g, ""), "hex");
  return decodeBuf(decoder, buf, 0, buf.length);
}

function decodeBuf(decoder: HpackDecoder, buf: Buffer, start: number, end: number): { fields: Field[]; size: number } {
  const out: string[] = [];
  const size = decoder.decode(buf, start, end, out);
  const fields: Field[] = [];
  for (let i = 0; i < out.length; i += 2) fields.push([out[i]!, out[i + 1]!]);
  return { fields, size };
}

/** The dynamic table, newest (index 62) first. */
function tableOf(decoder: HpackDecoder): Field[] {
  const entries: Field[] = [];
  for (let i = 1; i <= decoder.table.count; i++) entries.push([decoder.table.nameAt(i), decoder.table.valueAt(i)]);
  return entries;
}

function listSize(fields: Field[]): number {
  return fields.reduce((sum, [name, value]) => sum + name.length + value.length + 32, 0);
}

/** A literal field without indexing, new name, raw strings (lengths < 127). */
function literal(name: string, value: string): string {
  return "00" + rawString(name) + rawString(value);
}
/** A literal field with incremental indexing, new name, raw strings (lengths < 127). */
function indexedLiteral(name: string, value: string): string {
  return "40" + rawString(name) + rawString(value);
}
function rawString(s: string): string {
  return s.length.toString(16).padStart(2, "0") + Buffer.from(s, "latin1").toString("hex");
}

const REQUEST_1: Field[] = [
  [":method", "GET"],
  [":scheme", "http"],
  [":path", "/"],
  [":authority", "www.example.com"],
];
const REQUEST_2: Field[] = [...REQUEST_1, ["cache-control", "no-cache"]];
const REQUEST_3: Field[] = [
  [":method", "GET"],
  [":scheme", "https"],
  [":path", "/index.html"],
  [":authority", "www.example.com"],
  ["custom-key", "custom-value"],
];

const RESPONSE_1: Field[] = [
  [":status", "302"],
  ["cache-control", "private"],
  ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
  ["location", "https://www.example.com"],
];
const RESPONSE_2: Field[] = [[":status", "307"], ...RESPONSE_1.slice(1)];
const RESPONSE_3: Field[] = [
  [":status", "200"],
  ["cache-control", "private"],
  ["date", "Mon, 21 Oct 2013 20:13:22 GMT"],
  ["location", "https://www.example.com"],
  ["content-encoding", "gzip"],
  ["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"],
];

describe("HpackDecoder: RFC 7541 Appendix C", () => {
  it("C.2.1 literal with indexing", () => {
    const decoder = new HpackDecoder();
    const { fields, size } = decodeHex(decoder, "400a637573746f6d2d6b65790d637573746f6d2d686561646572");
    expect(fields).toEqual([["custom-key", "custom-header"]]);
    expect(size).toBe(55);
    expect(tableOf(decoder)).toEqual([["custom-key", "custom-header"]]);
    expect(decoder.table.size).toBe(55);
  });

  it("C.2.2 literal without indexing, C.2.3 never indexed, C.2.4 indexed: the table stays empty", () => {
    const decoder = new HpackDecoder();
    expect(decodeHex(decoder, "040c2f73616d706c652f70617468").fields).toEqual([[":path", "/sample/path"]]);
    expect(decodeHex(decoder, "100870617373776f726406736563726574").fields).toEqual([["password", "secret"]]);
    expect(decodeHex(decoder, "82").fields).toEqual([[":method", "GET"]]);
    expect(decoder.table.count).toBe(0);
    expect(decoder.table.size).toBe(0);
  });

  it("C.3 requests without Huffman, the dynamic table carried across the three", () => {
    const decoder = new HpackDecoder();
    const first = decodeHex(decoder, "828684410f7777772e6578616d706c652e636f6d");
    expect(first.fields).toEqual(REQUEST_1);
    expect(first.size).toBe(180);
    expect(tableOf(decoder)).toEqual([[":authority", "www.example.com"]]);
    expect(decoder.table.size).toBe(57);

    const second = decodeHex(decoder, "828684be58086e6f2d6361636865");
    expect(second.fields).toEqual(REQUEST_2);
    expect(second.size).toBe(listSize(REQUEST_2));
    expect(tableOf(decoder)).toEqual([
      ["cache-control", "no-cache"],
      [":authority", "www.example.com"],
    ]);
    expect(decoder.table.size).toBe(110);

    const third = decodeHex(decoder, "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565");
    expect(third.fields).toEqual(REQUEST_3);
    expect(tableOf(decoder)).toEqual([
      ["custom-key", "custom-value"],
      ["cache-control", "no-cache"],
      [":authority", "www.example.com"],
    ]);
    expect(decoder.table.size).toBe(164);
  });

  it("C.4 requests with Huffman", () => {
    const decoder = new HpackDecoder();
    expect(decodeHex(decoder, "828684418cf1e3c2e5f23a6ba0ab90f4ff").fields).toEqual(REQUEST_1);
    expect(decoder.table.size).toBe(57);
    expect(decodeHex(decoder, "828684be5886a8eb10649cbf").fields).toEqual(REQUEST_2);
    expect(decoder.table.size).toBe(110);
    expect(decodeHex(decoder, "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf").fields).toEqual(REQUEST_3);
    expect(tableOf(decoder)).toEqual([
      ["custom-key", "custom-value"],
      ["cache-control", "no-cache"],
      [":authority", "www.example.com"],
    ]);
    expect(decoder.table.size).toBe(164);
  });

  const responseTables = {
    first: [
      ["location", "https://www.example.com"],
      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["cache-control", "private"],
      [":status", "302"],
    ],
    second: [
      [":status", "307"],
      ["location", "https://www.example.com"],
      ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["cache-control", "private"],
    ],
    third: [
      ["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"],
      ["content-encoding", "gzip"],
      ["date", "Mon, 21 Oct 2013 20:13:22 GMT"],
    ],
  };

  it("C.5 responses without Huffman, table size 256: evictions", () => {
    const decoder = new HpackDecoder(256);
    const first = decodeHex(
      decoder,
      "4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d",
    );
    expect(first.fields).toEqual(RESPONSE_1);
    expect(first.size).toBe(listSize(RESPONSE_1));
    expect(tableOf(decoder)).toEqual(responseTables.first);
    expect(decoder.table.size).toBe(222);

    expect(decodeHex(decoder, "4803333037c1c0bf").fields).toEqual(RESPONSE_2);
    expect(tableOf(decoder)).toEqual(responseTables.second);
    expect(decoder.table.size).toBe(222);

    const third = decodeHex(
      decoder,
      "88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a69707738666f6f3d4153444a4b48514b425a584f5157454f50495541585157454f49553b206d61782d6167653d333630303b2076657273696f6e3d31",
    );
    expect(third.fields).toEqual(RESPONSE_3);
    expect(tableOf(decoder)).toEqual(responseTables.third);
    expect(decoder.table.size).toBe(215);
  });

  it("C.6 responses with Huffman, table size 256: evictions", () => {
    const decoder = new HpackDecoder(256);
    expect(
      decodeHex(
        decoder,
        "488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8e9ae82ae43d3",
      ).fields,
    ).toEqual(RESPONSE_1);
    expect(tableOf(decoder)).toEqual(responseTables.first);
    expect(decoder.table.size).toBe(222);
    expect(decodeHex(decoder, "4883640effc1c0bf").fields).toEqual(RESPONSE_2);
    expect(tableOf(decoder)).toEqual(responseTables.second);
    expect(
      decodeHex(
        decoder,
        "88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007",
      ).fields,
    ).toEqual(RESPONSE_3);
    expect(tableOf(decoder)).toEqual(responseTables.third);
    expect(decoder.table.size).toBe(215);
  });
});

describe("HpackDecoder: representations and the dynamic table", () => {
  it("decodes only buf[start, end) and appends to what out holds", () => {
    const decoder = new HpackDecoder();
    const buf = Buffer.from("ff" + "8286" + "ff", "hex");
    const out = ["x", "y"];
    expect(decoder.decode(buf, 1, 3, out)).toBe(42 + 43);
    expect(out).toEqual(["x", "y", ":method", "GET", ":scheme", "http"]);
    expect(decoder.decode(buf, 1, 1, out)).toBe(0);
  });

  it("literal names may come from the dynamic table; never-indexed fields stay out of it", () => {
    const decoder = new HpackDecoder();
    decodeHex(decoder, indexedLiteral("x-a", "1"));
    // 0x7e = 01 111110: incremental indexing, name index 62 (x-a); 0x1f 0x2f = 0001 1111 + 47: never indexed, name index 62
    const { fields } = decodeHex(decoder, "7e" + rawString("2") + "1f2f" + rawString("3"));
    expect(fields).toEqual([
      ["x-a", "2"],
      ["x-a", "3"],
    ]);
    expect(tableOf(decoder)).toEqual([
      ["x-a", "2"],
      ["x-a", "1"],
    ]);
  });

  it("reads multi-octet integers: an index ≥ 127 and a string longer than 127 octets", () => {
    const decoder = new HpackDecoder(65536);
    let block = "";
    for (let i = 0; i < 100; i++) block += indexedLiteral(`n${i}`, `v${i}`);
    decodeHex(decoder, block);
    expect(decoder.table.count).toBe(100);
    // index 61 + 100 = 161: the oldest, n0 → ff 22 (127 + 34)
    expect(decodeHex(decoder, "ff22").fields).toEqual([["n0", "v0"]]);
    expect(decodeHex(decoder, "be").fields).toEqual([["n99", "v99"]]); // 62, newest
    const long = "v".repeat(300); // length 300 = 127 + 173: 7f ad 01
    const { fields, size } = decodeHex(decoder, "0f10" + "7fad01" + Buffer.from(long).toString("hex")); // content-type (31 = 15 + 16)
    expect(fields).toEqual([["content-type", long]]);
    expect(size).toBe(12 + 300 + 32);
  });

  it("evicts from the oldest while the ring wraps round many times", () => {
    const decoder = new HpackDecoder(200); // each x-NN: vNN entry is 4 + 3 + 32 = 39 → 5 fit (195)
    for (let i = 10; i < 90; i++) {
      decodeHex(decoder, indexedLiteral(`x-${i}`, `v${i}`));
      const expected: Field[] = [];
      for (let j = i; j > i - 5 && j >= 10; j--) expected.push([`x-${j}`, `v${j}`]);
      expect(tableOf(decoder)).toEqual(expected);
      expect(decoder.table.size).toBe(39 * expected.length);
    }
    expect(decodeHex(decoder, "be").fields).toEqual([["x-89", "v89"]]);
    expect(decodeHex(decoder, "c2").fields).toEqual([["x-85", "v85"]]);
    expect(decodeHex(decoder, "c3").size).toBe(-1);
  });

  it("keeps the order when the ring grows past its first capacity", () => {
    const decoder = new HpackDecoder(4096);
    for (let i = 0; i < 40; i++) decodeHex(decoder, indexedLiteral(`g${i}`, "x"));
    // 3 or 4 + 1 + 32 octets each: all 40 fit in 4096
    expect(decoder.table.count).toBe(40);
    const entries = tableOf(decoder);
    expect(entries.map(([name]) => name)).toEqual(Array.from({ length: 40 }, (_, i) => `g${39 - i}`));
    // and keeps evicting the right end after growing
    const small = new HpackDecoder(40 * 35);
    for (let i = 0; i < 60; i++) decodeHex(small, indexedLiteral(`h${String(i).padStart(2, "0")}`, ""));
    expect(tableOf(small).map(([name]) => name)).toEqual(Array.from({ length: 40 }, (_, i) => `h${59 - i}`));
  });

  it("an entry larger than the table empties it, and is not added", () => {
    const decoder = new HpackDecoder(100);
    decodeHex(decoder, indexedLiteral("a", "b"));
    expect(decoder.table.count).toBe(1);
    const { fields } = decodeHex(decoder, indexedLiteral("big", "v".repeat(70))); // 3 + 70 + 32 = 105 > 100
    expect(fields).toEqual([["big", "v".repeat(70)]]);
    expect(decoder.table.count).toBe(0);
    expect(decoder.table.size).toBe(0);
    expect(decodeHex(decoder, "be").size).toBe(-1);
  });

  it("size updates at the start of a block: shrink evicts the oldest, 0 empties, two in a row", () => {
    const decoder = new HpackDecoder();
    decodeHex(decoder, "828684410f7777772e6578616d706c652e636f6d"); // :authority (57)
    decodeHex(decoder, "828684be58086e6f2d6361636865"); // cache-control (53), 110
    // 3f 1a = 31 + 26 = 57... make it 60: 3f 1d. Keeps only the newest (53).
    expect(decodeHex(decoder, "3f1d" + "82").fields).toEqual([[":method", "GET"]]);
    expect(tableOf(decoder)).toEqual([["cache-control", "no-cache"]]);
    expect(decoder.table.limit).toBe(60);
    // 0 then back to 4096 (3f e1 1f), then a field that is indexed
    expect(decodeHex(decoder, "20" + "3fe11f" + indexedLiteral("k", "v")).fields).toEqual([["k", "v"]]);
    expect(tableOf(decoder)).toEqual([["k", "v"]]);
    expect(decoder.table.limit).toBe(4096);
  });
});

describe("HpackDecoder: the maxEntries cap", () => {
  it("stops collecting at the cap but decodes the rest: the full list size, the table in step, errors still seen", () => {
    const decoder = new HpackDecoder();
    const block = "82" + literal("x-a", "1") + indexedLiteral("x-indexed", "kept") + "be" + "86" + literal("x-b", "2");
    const out: string[] = [];
    const size = decoder.decode(Buffer.from(block, "hex"), 0, block.length / 2, out, 4);
    expect(out).toEqual([":method", "GET", "x-a", "1"]);
    const all: Field[] = [[":method", "GET"], ["x-a", "1"], ["x-indexed", "kept"], ["x-indexed", "kept"], [":scheme", "http"], ["x-b", "2"]];
    expect(size).toBe(listSize(all));
    expect(tableOf(decoder)).toEqual([["x-indexed", "kept"]]); // added though not collected
    expect(decodeHex(decoder, "be").fields).toEqual([["x-indexed", "kept"]]); // the next block sees it
    const bad = Buffer.from("82" + "ff", "hex"); // an integer cut short past the cap
    expect(new HpackDecoder().decode(bad, 0, bad.length, [], 0)).toBe(-1);
  });

  it("a cap of 0 collects nothing; an out already at the cap gets nothing more", () => {
    const buf = Buffer.alloc(1000, 0x82);
    const empty: string[] = [];
    expect(new HpackDecoder().decode(buf, 0, buf.length, empty, 0)).toBe(1000 * 42);
    expect(empty).toEqual([]);
    const held = ["a", "b"];
    expect(new HpackDecoder().decode(buf, 0, 3, held, 2)).toBe(3 * 42);
    expect(held).toEqual(["a", "b"]);
  });
});

describe("HpackDecoder: compression errors", () => {
  const errors: [string, string][] = [
    ["index 0", "80"],
    ["index 0 after a good field", "8280"],
    ["an index past the static table with an empty dynamic table", "be"],
    ["an index past static + dynamic (multi-octet)", "ff7f"],
    ["a literal's name index past the tables", "7e0161"],
    ["a literal's name index past the tables (never indexed)", "1f2f0161"],
    ["an integer overflowing 2^31 - 1", "ff" + "ffffffff0f"],
    ["an integer with more than 5 continuation octets", "ff" + "808080808000"],
    ["an integer cut short by the end", "ff80"],
    ["a string length running past the end", "00" + "05" + "6162"],
    ["a string length that overflows", "00" + "7fffffffff0f"],
    ["a name but no value", "00" + "0161"],
    ["a name index but no value", "04"],
    ["Huffman with EOS inside (a + EOS + padding)", "00" + "0161" + "85" + "1fffffffff"],
    ["Huffman padding longer than 7 bits", "00" + "0161" + "82" + "07ff"],
    ["Huffman padding not all ones", "00" + "0161" + "81" + "18"],
    ["a size update above the maximum (4097)", "3fe21f"], // 31 + 0x62 + 0x1f·128
    ["a size update after a field", "82" + "20"],
    ["a size update after a literal", literal("a", "b") + "3f00"],
  ];
  it.each(errors)("refuses %s", (_, hex) => {
    expect(decodeHex(new HpackDecoder(), hex).size).toBe(-1);
  });

  it("the size update bound is the constructor's maximum, inclusive", () => {
    // 3f e1 1f = 31 + 0x61 + 0x1f·128 = 31 + 97 + 3968 = 4096
    expect(decodeHex(new HpackDecoder(4096), "3fe11f").size).toBe(0);
    expect(decodeHex(new HpackDecoder(4095), "3fe11f").size).toBe(-1);
    expect(decodeHex(new HpackDecoder(256), "3fe101").size).toBe(0); // 31 + 97 + 128 = 256
    expect(decodeHex(new HpackDecoder(256), "3fe201").size).toBe(-1); // 257
  });

  it("integers up to 2^31 - 1 are read, 2^31 is refused", () => {
    const max = 0x7fffffff;
    // 2^31 - 1 - 31 = 2147483616 in 7-bit groups, low first
    const encode = (value: number): string => {
      let rest = value - 31;
      let hex = "3f";
      while (rest >= 128) {
        hex += ((rest % 128) | 0x80).toString(16).padStart(2, "0");
        rest = Math.floor(rest / 128);
      }
      return hex + rest.toString(16).padStart(2, "0");
    };
    expect(decodeHex(new HpackDecoder(max), encode(max)).size).toBe(0);
    // a table maximum above 2^31 (SETTINGS values are 32-bit) does not lift the integer limit
    expect(decodeHex(new HpackDecoder(2 ** 32 - 1), encode(max)).size).toBe(0);
    expect(decodeHex(new HpackDecoder(2 ** 32 - 1), encode(max + 1)).size).toBe(-1);
    expect(decodeHex(new HpackDecoder(2 ** 32 - 1), encode(2 ** 32 - 1)).size).toBe(-1);
  });

  it("an integer may take 5 continuation octets, not 6 (even with zero padding octets and a small value)", () => {
    // size update 31 written as 3f + 80 80 80 80 00 (value 31 + 0)
    expect(decodeHex(new HpackDecoder(), "3f" + "80808080" + "00" + "82").fields).toEqual([[":method", "GET"]]);
    expect(decodeHex(new HpackDecoder(), "3f" + "8080808080" + "00" + "82").size).toBe(-1);
  });
});
