import { describe, expect, it } from "vitest";
import { crc32c } from "./crc32c";
import { decodeProxyHeader } from "./decode";
import { PROXY_V1_MAX_LENGTH, PROXY_V2_MAX_LENGTH, type ProxyDecodeResult } from "./proxy-header.types";

// Headers are written out by hand from HAProxy doc/proxy-protocol.txt (2.1 lines, 2.2 struct
// proxy_hdr_v2 + union proxy_addr + struct pp2_tlv), never produced by encode.ts.

const SIG = "0d0a0d0a000d0a515549540a";
const ascii = (text: string): Buffer => Buffer.from(text, "latin1");
const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ""), "hex");
/** A v2 header: signature, ver_cmd, fam, len (computed), then `body` (addresses + TLVs) in hex. */
const v2 = (verCmd: number, fam: number, body = ""): Buffer => {
  const rest = hex(body);
  const fixed = Buffer.concat([hex(SIG), Uint8Array.of(verCmd, fam, rest.length >> 8, rest.length & 0xff)]);
  return Buffer.concat([fixed, rest]);
};
const tlv = (type: number, value: Buffer): string =>
  Buffer.concat([Uint8Array.of(type, value.length >> 8, value.length & 0xff), value]).toString("hex");
/** 127.0.0.1:54321 → 192.168.0.1:443 as the AF_INET block. */
const IPV4_BLOCK = "7f000001 c0a80001 d431 01bb";
/** 2001:db8::1:56324 → ::ffff:127.0.0.1:443 as the AF_INET6 block. */
const IPV6_BLOCK = "20010db8000000000000000000000001 00000000000000000000ffff7f000001 dc04 01bb";

const status = (result: ProxyDecodeResult): string => result.status;
const reason = (result: ProxyDecodeResult): string => (result.status === "invalid" ? result.reason : `(${result.status})`);
function header(result: ProxyDecodeResult) {
  if (result.status !== "header") throw new Error(`expected a header, got ${JSON.stringify(result)}`);
  return result;
}

describe("decodeProxyHeader, version 1 (section 2.1)", () => {
  it("decodes the spec's example line before an HTTP request, and says where the request starts", () => {
    const bytes = ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\nGET / HTTP/1.1\r\nHost: 192.168.0.11\r\n\r\n");
    const result = header(decodeProxyHeader(bytes));
    expect(result.length).toBe(47);
    expect(bytes.subarray(result.length).toString("latin1")).toMatch(/^GET \/ HTTP\/1.1\r\n/);
    expect(result.header).toEqual({
      version: 1,
      command: "PROXY",
      transport: "STREAM",
      addresses: { family: "IPv4", sourceAddress: "192.168.0.1", sourcePort: 56324, destinationAddress: "192.168.0.11", destinationPort: 443 },
      tlvs: [],
    });
  });

  it("accepts the spec's longest lines: TCP4 56, TCP6 104, UNKNOWN 15 and the 107-byte worst case", () => {
    const f39 = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
    const lines = [
      ["PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n", 56],
      [`PROXY TCP6 ${f39} ${f39} 65535 65535\r\n`, 104],
      ["PROXY UNKNOWN\r\n", 15],
      [`PROXY UNKNOWN ${f39} ${f39} 65535 65535\r\n`, 107],
    ] as const;
    for (const [line, length] of lines) {
      expect(line.length).toBe(length);
      expect(header(decodeProxyHeader(ascii(line))).length).toBe(length);
    }
    const tcp6 = header(decodeProxyHeader(ascii(lines[1][0]))).header.addresses;
    expect(tcp6).toMatchObject({ family: "IPv6", sourceAddress: f39, sourcePort: 65535 });
    expect(header(decodeProxyHeader(ascii(lines[3][0]))).header).toMatchObject({ addresses: null, transport: "UNSPEC" });
  });

  it("UNKNOWN ignores whatever comes before the CRLF; TCP6 prints addresses as Node does", () => {
    expect(header(decodeProxyHeader(ascii("PROXY UNKNOWN anything at all \x01\xff\r\n"))).header.addresses).toBeNull();
    const line = "PROXY TCP6 2001:DB8:0:0:0:0:0:1 0:0:0:0:0:ffff:7f00:1 0 8080\r\n";
    expect(header(decodeProxyHeader(ascii(line))).header.addresses).toEqual({
      family: "IPv6",
      sourceAddress: "2001:db8::1",
      sourcePort: 0,
      destinationAddress: "::ffff:127.0.0.1",
      destinationPort: 8080,
    });
    expect(header(decodeProxyHeader(ascii("PROXY TCP6 ::ffff:10.0.0.1 :: 1 2\r\n"))).header.addresses).toMatchObject({
      sourceAddress: "::ffff:10.0.0.1",
      destinationAddress: "::",
    });
  });

  it("refuses every line that does not exactly match, naming the rule", () => {
    const cases: [string, RegExp][] = [
      ["PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\n", /line feed without a carriage return/],
      ["PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\rX", /carriage return not followed by a line feed/],
      ["PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n", /protocol must be/],
      ["PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n", /exactly one space/],
      ["PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n", /exactly one space/],
      ["PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", /more than 4 fields/],
      ["PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", /more than 4 fields/],
      ["PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n", /need 4 fields/],
      ["PROXY TCP4\r\n", /protocol must be/],
      ["PROXY TCP4 \r\n", /need 4 fields/],
      ["PROXY\tTCP4 1.2.3.4 5.6.7.8 1 2\r\n", /followed by exactly one space/],
      ["PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n", /protocol must be/],
      ["PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n", /protocol must be/],
      ["PROXY UNKNOWNX\r\n", /protocol must be/],
      ["PROXY UNKNOWN\r", /\(incomplete\)/],
      ["PROXY \r\n", /protocol must be/],
      ["PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n", /IPv4 source address/],
      ["PROXY TCP4 1.2.3.4 5.6.7.256 1 2\r\n", /IPv4 destination address/],
      ["PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n", /IPv4 source address/],
      ["PROXY TCP4 ::1 5.6.7.8 1 2\r\n", /cannot be part of the source address/],
      ["PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n", /source port/],
      ["PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n", /destination port/],
      ["PROXY TCP4 1.2.3.4 5.6.7.8 1 -2\r\n", /cannot be part of the destination port/],
      ["PROXY TCP4 1.2.3.4 5.6.7.8 123456 2\r\n", /source port is too long/],
      ["PROXY TCP6 1.2.3.4 ::1 1 2\r\n", /IPv6 source address/],
      ["PROXY TCP6 ::1 1.2.3.4 1 2\r\n", /IPv6 destination address/],
      ["PROXY TCP6 ::1::2 ::1 1 2\r\n", /IPv6 source address/],
      ["PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n", /cannot be part of the source address/],
      ["PROXY TCP6 ::g ::1 1 2\r\n", /cannot be part of the source address/],
    ];
    for (const [line, expected] of cases) expect(reason(decodeProxyHeader(ascii(line))), JSON.stringify(line)).toMatch(expected);
  });

  it("refuses a line without CRLF in its first 107 bytes as soon as 106 bytes are in, never waiting for more", () => {
    const long = `PROXY UNKNOWN ${"x".repeat(200)}`;
    for (let n = 1; n < 106; n++) expect(status(decodeProxyHeader(ascii(long.slice(0, n)))), `prefix ${n}`).toBe("incomplete");
    for (const n of [106, 107, 108, 200]) expect(reason(decodeProxyHeader(ascii(long.slice(0, n))))).toMatch(/no CRLF in the first 107 bytes/);
    const crlfAt108 = `PROXY UNKNOWN ${"x".repeat(PROXY_V1_MAX_LENGTH + 1 - 16)}\r\n`;
    expect(crlfAt108.length).toBe(108);
    expect(status(decodeProxyHeader(ascii(crlfAt108)))).toBe("invalid");
  });

  it("calls an ordinary client's bytes absent from the first byte that cannot start 'PROXY'", () => {
    for (const text of ["GET / HTTP/1.1\r\n", "POST /", "PRI * HTTP/2.0", "PUT", "PROXZ", "\x16\x03\x01", "SSH-2.0", "\0"]) {
      expect(status(decodeProxyHeader(ascii(text))), JSON.stringify(text)).toBe("absent");
    }
    expect(status(decodeProxyHeader(ascii("P")))).toBe("incomplete");
    expect(status(decodeProxyHeader(ascii("PROX")))).toBe("incomplete");
    expect(status(decodeProxyHeader(ascii("PRO\0")))).toBe("absent");
  });

  it("refuses a partial line once it can no longer become valid, without waiting for its CRLF", () => {
    for (const text of ["PROXY X", "PROXY TCP4 1.2.3.4  ", "PROXY TCP4 1.2.3.4 a", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3", "PROXY TCP6 ::1 ::1 x", "PROXY UNKNOWNZ"]) {
      expect(status(decodeProxyHeader(ascii(text))), text).toBe("invalid");
    }
  });
});

describe("decodeProxyHeader, version 2 (section 2.2)", () => {
  it("decodes TCP and UDP over IPv4 and IPv6 (\\x11 \\x12 \\x21 \\x22), ports in network order", () => {
    const ipv4 = { family: "IPv4", sourceAddress: "127.0.0.1", sourcePort: 54321, destinationAddress: "192.168.0.1", destinationPort: 443 };
    const ipv6 = { family: "IPv6", sourceAddress: "2001:db8::1", sourcePort: 56324, destinationAddress: "::ffff:127.0.0.1", destinationPort: 443 };
    const cases = [
      [v2(0x21, 0x11, IPV4_BLOCK), "STREAM", ipv4, 28],
      [v2(0x21, 0x12, IPV4_BLOCK), "DGRAM", ipv4, 28],
      [v2(0x21, 0x21, IPV6_BLOCK), "STREAM", ipv6, 52],
      [v2(0x21, 0x22, IPV6_BLOCK), "DGRAM", ipv6, 52],
    ] as const;
    for (const [bytes, transport, addresses, length] of cases) {
      const result = header(decodeProxyHeader(Buffer.concat([bytes, ascii("payload")])));
      expect(result.length).toBe(length);
      expect(result.header).toEqual({ version: 2, command: "PROXY", transport, addresses, tlvs: [] });
    }
  });

  it("LOCAL (\\x20): no addresses, whatever the family says; AF_UNSPEC and AF_UNIX: no addresses either", () => {
    expect(header(decodeProxyHeader(v2(0x20, 0x00))).header).toEqual({ version: 2, command: "LOCAL", transport: "UNSPEC", addresses: null, tlvs: [] });
    // "Receivers MUST always consider this field to skip the appropriate number of bytes".
    expect(header(decodeProxyHeader(v2(0x20, 0x11, IPV4_BLOCK))).header).toMatchObject({ command: "LOCAL", addresses: null });
    expect(header(decodeProxyHeader(v2(0x20, 0x10, "00112233"))).length).toBe(20);
    expect(header(decodeProxyHeader(v2(0x20, 0x21, "0011"))).header.addresses).toBeNull();
    // AF_UNSPEC has no address block: what follows the fixed part is TLVs.
    expect(header(decodeProxyHeader(v2(0x21, 0x00, "040000"))).header).toMatchObject({ command: "PROXY", transport: "UNSPEC", addresses: null });
    const unixBlock = Buffer.alloc(216);
    unixBlock.write("/run/client.sock", 0);
    unixBlock.write("/run/server.sock", 108);
    for (const fam of [0x31, 0x32]) {
      const result = header(decodeProxyHeader(v2(0x21, fam, unixBlock.toString("hex"))));
      expect(result.length).toBe(16 + 216);
      expect(result.header).toMatchObject({ addresses: null, transport: fam === 0x31 ? "STREAM" : "DGRAM" });
    }
  });

  it("walks the registered TLVs (ALPN, AUTHORITY, NOOP, UNIQUE_ID, SSL with sub-TLVs, NETNS, custom) and copies their values", () => {
    const ssl = Buffer.concat([hex("01 00000000"), hex(tlv(0x21, ascii("TLSv1.3"))), hex(tlv(0x22, ascii("example.com")))]);
    const tlvs = [
      tlv(0x01, ascii("h2")),
      tlv(0x02, ascii("example.com")),
      tlv(0x04, Buffer.alloc(0)),
      tlv(0x05, Buffer.alloc(128, 7)),
      tlv(0x20, ssl),
      tlv(0x30, ascii("blue")),
      tlv(0xe0, hex("beef")),
    ].join("");
    const bytes = v2(0x21, 0x11, IPV4_BLOCK + tlvs);
    const result = header(decodeProxyHeader(bytes));
    expect(result.length).toBe(bytes.length);
    expect(result.header.addresses?.sourceAddress).toBe("127.0.0.1");
    expect(result.header.tlvs.map((t) => [t.type, Buffer.from(t.value).toString("hex")])).toEqual([
      [0x01, ascii("h2").toString("hex")],
      [0x02, ascii("example.com").toString("hex")],
      [0x04, ""],
      [0x05, "07".repeat(128)],
      [0x20, ssl.toString("hex")],
      [0x30, ascii("blue").toString("hex")],
      [0xe0, "beef"],
    ]);
    bytes.fill(0); // a shared read buffer is overwritten by the next read
    expect(Buffer.from(result.header.tlvs[0]!.value).toString()).toBe("h2");
    // LOCAL carries TLVs right after the fixed part (what HAProxy sends with AF_UNSPEC).
    expect(header(decodeProxyHeader(v2(0x20, 0x00, tlv(0x04, hex("00"))))).header.tlvs).toHaveLength(1);
  });

  it("checks a PP2_TYPE_CRC32C checksum (2.2.3): the right one passes, any other byte fails", () => {
    const bytes = v2(0x21, 0x11, IPV4_BLOCK + tlv(0x03, Buffer.alloc(4)) + tlv(0x01, ascii("h2")));
    const at = 16 + 12 + 3;
    bytes.writeUInt32BE(crc32c(bytes, 0, bytes.length), at);
    expect(header(decodeProxyHeader(bytes)).header.tlvs[0]!.type).toBe(0x03);
    for (let i = 0; i < bytes.length; i++) {
      if (i === at - 3) continue; // the TLV's type byte: flipped, it is another TLV and nothing is checked
      const broken = Buffer.from(bytes);
      broken[i]! ^= 0x01;
      const result = decodeProxyHeader(broken);
      expect(result.status === "header", `byte ${i} flipped`).toBe(false);
    }
    expect(crc32c(ascii("123456789"), 0, 9)).toBe(0xe3069283); // RFC 3720 B.4 check value
    expect(reason(decodeProxyHeader(v2(0x21, 0x11, IPV4_BLOCK + tlv(0x03, Buffer.alloc(3)))))).toMatch(/CRC32C value must be 4 bytes/);
  });

  it("takes a TLV of every length 0..N that fits, and refuses the same TLV claiming one byte more", () => {
    const room = PROXY_V2_MAX_LENGTH - 16 - 12 - 3;
    for (let n = 0; n <= room; n++) {
      const value = Buffer.alloc(n, n & 0xff);
      const bytes = v2(0x21, 0x11, IPV4_BLOCK + tlv(0x04, value));
      const result = decodeProxyHeader(bytes);
      if (result.status !== "header" || result.header.tlvs[0]!.value.length !== n) throw new Error(`length ${n}: ${JSON.stringify(result)}`);
      const claimsMore = Buffer.from(bytes);
      claimsMore.writeUInt16BE(n + 1, 16 + 12 + 1);
      expect(reason(decodeProxyHeader(claimsMore))).toMatch(/runs past the end of the header/);
    }
    // One byte over the engine's limit is refused from the length field alone (16 bytes in).
    expect(reason(decodeProxyHeader(v2(0x21, 0x11, IPV4_BLOCK + tlv(0x04, Buffer.alloc(room + 1))).subarray(0, 16)))).toMatch(/longer than the 4112 bytes/);
  });

  it("refuses malformed fixed parts, lengths and TLVs, naming the rule", () => {
    const cases: [Buffer, RegExp][] = [
      [v2(0x11, 0x11, IPV4_BLOCK), /version nibble of byte 13 must be 2/],
      [v2(0x31, 0x11, IPV4_BLOCK), /version nibble/],
      [v2(0x01, 0x11, IPV4_BLOCK), /version nibble/],
      [v2(0x22, 0x11, IPV4_BLOCK), /command must be LOCAL/],
      [v2(0x2f, 0x11, IPV4_BLOCK), /command must be LOCAL/],
      [v2(0x21, 0x41, IPV4_BLOCK), /address family must be/],
      [v2(0x21, 0xf1, IPV4_BLOCK), /address family must be/],
      [v2(0x21, 0x13, IPV4_BLOCK), /transport must be/],
      [v2(0x20, 0x1f, IPV4_BLOCK), /transport must be/],
      [v2(0x21, 0x10, IPV4_BLOCK), /needs the STREAM or DGRAM transport/],
      [v2(0x21, 0x11, "7f000001 c0a80001 d431"), /shorter than the AF_INET address block/],
      [v2(0x21, 0x11), /shorter than the AF_INET address block/],
      [v2(0x21, 0x21, IPV4_BLOCK), /shorter than the AF_INET6 address block/],
      [v2(0x21, 0x31, IPV6_BLOCK), /shorter than the AF_UNIX address block/],
      [v2(0x21, 0x11, IPV4_BLOCK + "01"), /TLV needs 3 bytes/],
      [v2(0x21, 0x11, IPV4_BLOCK + "0100"), /TLV needs 3 bytes/],
      [v2(0x21, 0x11, IPV4_BLOCK + "010005 6832"), /runs past the end/],
      [v2(0x21, 0x11, IPV4_BLOCK + tlv(0x05, Buffer.alloc(129))), /UNIQUE_ID value is longer than 128/],
      [v2(0x21, 0x11, IPV4_BLOCK + tlv(0x20, hex("01000000"))), /PP2_TYPE_SSL value is shorter/],
      [v2(0x21, 0x11, IPV4_BLOCK + tlv(0x20, hex("01 00000000 210009 544c53"))), /sub-TLV runs past the end/],
      [v2(0x21, 0x11, IPV4_BLOCK + tlv(0x20, hex("01 00000000 21"))), /sub-TLV runs past the end/],
    ];
    for (const [bytes, expected] of cases) expect(reason(decodeProxyHeader(bytes)), bytes.toString("hex")).toMatch(expected);
    const tooLong = v2(0x21, 0x11, IPV4_BLOCK);
    tooLong.writeUInt16BE(0xffff, 14);
    expect(reason(decodeProxyHeader(tooLong.subarray(0, 16)))).toMatch(/longer than the 4112 bytes/);
  });

  it("calls a wrong signature absent at its first wrong byte, and every prefix of the signature incomplete", () => {
    const sig = hex(SIG);
    for (let i = 0; i < 12; i++) {
      expect(status(decodeProxyHeader(sig.subarray(0, i + 1)))).toBe("incomplete");
      const wrong = Buffer.from(sig);
      wrong[i]! ^= 0x20;
      expect(status(decodeProxyHeader(wrong)), `byte ${i}`).toBe("absent");
    }
    expect(status(decodeProxyHeader(ascii("\r\nGET")))).toBe("absent");
  });

  it("prints IPv6 sources the way Node prints a peer address (compressed, lower case, IPv4-mapped as sent)", () => {
    const at = (source: string) => header(decodeProxyHeader(v2(0x21, 0x21, `${source} ${"00".repeat(15)}01 0001 0002`))).header.addresses!;
    expect(at("00000000000000000000ffff0a000001").sourceAddress).toBe("::ffff:10.0.0.1");
    expect(at("fe800000000000000000000000000001").sourceAddress).toBe("fe80::1");
    expect(at("20010db8000000010000000000000000").sourceAddress).toBe("2001:db8:0:1::");
    expect(at("00000000000000000000000000000000").sourceAddress).toBe("::");
    expect(at("20010DB8ABCD0000000000000000FFFF".toLowerCase()).sourceAddress).toBe("2001:db8:abcd::ffff");
    expect(at("00000000000000000000ffff0a000001").destinationAddress).toBe("::1");
  });
});

describe("decodeProxyHeader on any input", () => {
  const valid = [
    ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"),
    ascii("PROXY TCP6 2001:db8::1 ::ffff:127.0.0.1 65535 0\r\n"),
    ascii("PROXY UNKNOWN\r\n"),
    ascii("PROXY UNKNOWN 1 2 3 4\r\n"),
    v2(0x21, 0x11, IPV4_BLOCK),
    v2(0x21, 0x22, IPV6_BLOCK),
    v2(0x20, 0x00),
    v2(0x21, 0x31, "00".repeat(216)),
    v2(0x21, 0x11, IPV4_BLOCK + tlv(0x01, ascii("h2")) + tlv(0x20, hex("05 00000000 210003 312e33"))),
  ];

  it("calls every proper prefix of a valid header incomplete (truncated at every byte), never invalid or a header", () => {
    for (const bytes of valid) {
      for (let n = 0; n < bytes.length; n++) {
        const result = decodeProxyHeader(bytes.subarray(0, n));
        if (result.status !== "incomplete") throw new Error(`${bytes.toString("hex")} cut at ${n}: ${JSON.stringify(result)}`);
      }
      const withData = Buffer.concat([bytes, ascii("\x16\x03\x01 and more")]);
      expect(header(decodeProxyHeader(withData)).length).toBe(bytes.length);
    }
  });

  it("decodes a header in the middle of a larger buffer (start, end), as a shared read buffer holds it", () => {
    const bytes = valid[4]!;
    const buffer = Buffer.concat([ascii("junk"), bytes, ascii("data")]);
    expect(header(decodeProxyHeader(buffer, 4, 4 + bytes.length)).length).toBe(28);
    expect(status(decodeProxyHeader(buffer, 4, 4 + bytes.length - 1))).toBe("incomplete");
    expect(status(decodeProxyHeader(buffer, 4, 4))).toBe("incomplete");
    expect(status(decodeProxyHeader(buffer, 0, buffer.length))).toBe("absent");
  });

  it("hands back the same frozen object for absent and incomplete (no allocation per read)", () => {
    expect(decodeProxyHeader(ascii("GET"))).toBe(decodeProxyHeader(ascii("HEAD")));
    expect(decodeProxyHeader(ascii("PRO"))).toBe(decodeProxyHeader(hex("0d0a")));
    expect(Object.isFrozen(decodeProxyHeader(ascii("GET")))).toBe(true);
  });

  it("never throws on 10 000 random byte strings, mutated headers included, and settles once (prefixes only ever go incomplete → final)", () => {
    let seed = 0x5eed1234;
    const random = (): number => {
      // mulberry32: a seeded PRNG, so a failure replays.
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const counts: Record<string, number> = {};
    for (let round = 0; round < 10_000; round++) {
      let bytes: Buffer;
      const kind = round % 4;
      if (kind === 0) {
        bytes = Buffer.from(Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256)));
      } else {
        // A valid header with a few bytes flipped, cut or extended: the interesting neighbourhood.
        bytes = Buffer.from(valid[Math.floor(random() * valid.length)]!);
        const flips = 1 + Math.floor(random() * 3);
        for (let f = 0; f < flips; f++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        if (kind === 3) bytes = Buffer.concat([bytes, Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)))]);
      }
      let settled: ProxyDecodeResult | null = null;
      for (let n = 0; n <= bytes.length; n++) {
        const result = decodeProxyHeader(bytes, 0, n);
        if (settled === null) {
          if (result.status !== "incomplete") settled = result;
          continue;
        }
        if (result.status !== settled.status) throw new Error(`${bytes.toString("hex")}: ${settled.status} at a shorter prefix, ${result.status} at ${n}`);
        if (result.status === "header" && settled.status === "header") {
          expect(result.length).toBe(settled.length);
          expect(result.length).toBeLessThanOrEqual(n);
        }
      }
      counts[settled?.status ?? "incomplete"] = (counts[settled?.status ?? "incomplete"] ?? 0) + 1;
    }
    // The corpus reached every outcome (a fuzz that only ever saw "absent" would prove little).
    for (const outcome of ["absent", "invalid", "header", "incomplete"]) expect(counts[outcome] ?? 0, outcome).toBeGreaterThan(50);
  });
});
