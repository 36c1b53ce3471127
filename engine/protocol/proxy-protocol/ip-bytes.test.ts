import ipaddr from "ipaddr.js";
import { SocketAddress, isIPv4, isIPv6 } from "node:net";
import { describe, expect, it } from "vitest";
import { formatIPv6, parseIPv4, writeIPv6 } from "./ip-bytes";

/** A seeded PRNG (mulberry32): a failure replays. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 16 random bytes, most words zero (runs of zeros are where formatting goes wrong), some mapped. */
function randomAddress(random: () => number): Uint8Array {
  const bytes = new Uint8Array(16);
  for (let w = 0; w < 8; w++) {
    if (random() < 0.55) continue;
    const word = random() < 0.2 ? 0xffff : Math.floor(random() * 0x10000);
    bytes[2 * w] = word >> 8;
    bytes[2 * w + 1] = word & 0xff;
  }
  return bytes;
}

describe("formatIPv6", () => {
  it("prints 20 000 addresses exactly as Node prints them (net.SocketAddress, libuv inet_ntop)", () => {
    const random = prng(42);
    for (let i = 0; i < 20_000; i++) {
      const bytes = randomAddress(random);
      const expanded = Array.from({ length: 8 }, (_, w) => ((bytes[2 * w]! << 8) | bytes[2 * w + 1]!).toString(16)).join(":");
      const node = new SocketAddress({ address: expanded, family: "ipv6" }).address;
      if (formatIPv6(bytes, 0) !== node) throw new Error(`${expanded}: ${formatIPv6(bytes, 0)} vs Node ${node}`);
    }
  });

  it("reads at an offset", () => {
    const bytes = Buffer.concat([Buffer.from("ab", "latin1"), Buffer.from(ipaddr.parse("::ffff:1.2.3.4").toByteArray())]);
    expect(formatIPv6(bytes, 2)).toBe("::ffff:1.2.3.4");
  });
});

describe("writeIPv6", () => {
  it("parses what ipaddr.js parses, to the same bytes, for printed, expanded and mixed spellings", () => {
    const random = prng(7);
    const out = new Uint8Array(16);
    for (let i = 0; i < 5_000; i++) {
      const bytes = randomAddress(random);
      const address = ipaddr.fromByteArray(Array.from(bytes)) as ipaddr.IPv6;
      const fixedLength = address.parts.map((word) => word.toString(16).padStart(4, "0")).join(":");
      for (const text of [formatIPv6(bytes, 0), address.toNormalizedString(), fixedLength, address.toString().toUpperCase()]) {
        expect(writeIPv6(text, out, 0), text).toBe(true);
        expect(Array.from(out), text).toEqual(Array.from(bytes));
      }
    }
    expect(writeIPv6("fe80::1%eth0", out, 0)).toBe(true);
    expect(formatIPv6(out, 0)).toBe("fe80::1");
  });

  it("refuses what is not an IPv6 address", () => {
    const out = new Uint8Array(16);
    for (const text of ["", ":", ":::", "1:", ":1", "1::2::3", "12345::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8",
      "1.2.3.4", "::1.2.3", "::1.2.3.256", "::01.2.3.4", "::g", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:5", "1 ::"]) {
      expect(writeIPv6(text, out, 0), JSON.stringify(text)).toBe(false);
      expect(isIPv6(text), `net.isIPv6 agrees on ${JSON.stringify(text)}`).toBe(false);
    }
  });
});

describe("parseIPv4", () => {
  it("accepts exactly what net.isIPv4 accepts (dotted quads without leading zeros)", () => {
    const random = prng(99);
    const samples = ["0.0.0.0", "255.255.255.255", "1.2.3.4", "01.2.3.4", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "1.2.3.4 ", " 1.2.3.4", "a.b.c.d", "1.2.3.04", "10.0.0.00"];
    for (let i = 0; i < 5_000; i++) {
      const parts = Array.from({ length: 3 + Math.floor(random() * 3) }, () => String(Math.floor(random() * 300)).padStart(random() < 0.1 ? 3 : 0, "0"));
      samples.push(parts.join("."));
    }
    for (const text of samples) {
      const value = parseIPv4(text);
      expect(value !== -1, text).toBe(isIPv4(text));
      if (value !== -1) expect(value).toBe(text.split(".").reduce((acc, part) => acc * 256 + Number(part), 0));
    }
    expect(parseIPv4("x1.2.3.4y", 1, 8)).toBe(0x01020304);
  });
});
