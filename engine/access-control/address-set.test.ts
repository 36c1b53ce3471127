import { describe, expect, it } from "vitest";
import { compileAddressSet } from "./address-set";

describe("compileAddressSet (Trusted IPs)", () => {
  it("holds IPv4 addresses and CIDR blocks, nothing else", () => {
    const set = compileAddressSet(["10.168.2.24", "10.168.16.0/24", "192.168.0.0/16", "127.0.0.2"]);
    expect(set.has("10.168.2.24")).toBe(true);
    expect(set.has("10.168.2.25")).toBe(false);
    expect(set.has("10.168.16.0")).toBe(true);
    expect(set.has("10.168.16.255")).toBe(true);
    expect(set.has("10.168.17.0")).toBe(false);
    expect(set.has("192.168.200.1")).toBe(true);
    expect(set.has("127.0.0.2")).toBe(true);
    expect(set.has("127.0.0.3")).toBe(false);
    expect(set.size).toBe(4);
  });

  it("holds IPv6 addresses and CIDR blocks in any spelling", () => {
    const set = compileAddressSet(["2001:db8::/32", "fd00::1", "2001:0db8:ffff::/48"]);
    expect(set.has("2001:db8::1")).toBe(true);
    expect(set.has("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")).toBe(true);
    expect(set.has("2001:0DB8:0000:0000:0000:0000:0000:0001")).toBe(true);
    expect(set.has("2001:db9::1")).toBe(false);
    expect(set.has("fd00::1")).toBe(true);
    expect(set.has("fd00:0:0:0:0:0:0:1")).toBe(true);
    expect(set.has("fd00::2")).toBe(false);
    expect(set.has("::1")).toBe(false);
    expect(set.size).toBe(3);
  });

  it("edge prefixes: /0 holds its whole family only, /32 and /128 exactly one address", () => {
    const v4all = compileAddressSet(["0.0.0.0/0"]);
    expect(v4all.has("0.0.0.0")).toBe(true);
    expect(v4all.has("255.255.255.255")).toBe(true);
    expect(v4all.has("203.0.113.9")).toBe(true);
    expect(v4all.has("::1")).toBe(false);
    const v6all = compileAddressSet(["::/0"]);
    expect(v6all.has("::")).toBe(true);
    expect(v6all.has("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).toBe(true);
    expect(v6all.has("2001:db8::7")).toBe(true);
    expect(v6all.has("127.0.0.1")).toBe(false);
    const one4 = compileAddressSet(["198.51.100.7/32"]);
    expect(one4.has("198.51.100.7")).toBe(true);
    expect(one4.has("198.51.100.6")).toBe(false);
    expect(one4.has("198.51.100.8")).toBe(false);
    const one6 = compileAddressSet(["2001:db8::7/128"]);
    expect(one6.has("2001:db8::7")).toBe(true);
    expect(one6.has("2001:db8::6")).toBe(false);
    expect(one6.has("2001:db8::8")).toBe(false);
    const odd = compileAddressSet(["10.0.0.0/31", "2001:db8::/127"]);
    expect(odd.has("10.0.0.1")).toBe(true);
    expect(odd.has("10.0.0.2")).toBe(false);
    expect(odd.has("2001:db8::1")).toBe(true);
    expect(odd.has("2001:db8::2")).toBe(false);
  });

  it("a CIDR with host bits set is its network", () => {
    const set = compileAddressSet(["10.0.0.5/24", "2001:db8::5/64"]);
    expect(set.has("10.0.0.200")).toBe(true);
    expect(set.has("10.0.1.1")).toBe(false);
    expect(set.has("2001:db8::ffff")).toBe(true);
    expect(set.has("2001:db8:0:1::")).toBe(false);
  });

  it("looks IPv4-mapped IPv6 peers up as IPv4, in any spelling; mapped entries count as IPv4", () => {
    const set = compileAddressSet(["127.0.0.0/8"]);
    expect(set.has("::ffff:127.0.0.9")).toBe(true);
    expect(set.has("::ffff:7f00:9")).toBe(true);
    expect(set.has("0:0:0:0:0:ffff:7f00:9")).toBe(true);
    expect(set.has("::ffff:128.0.0.1")).toBe(false);
    const mapped = compileAddressSet(["::ffff:10.1.0.0/112", "::ffff:192.0.2.1"]);
    expect(mapped.has("10.1.2.3")).toBe(true);
    expect(mapped.has("10.2.0.1")).toBe(false);
    expect(mapped.has("192.0.2.1")).toBe(true);
    expect(mapped.has("::ffff:192.0.2.1")).toBe(true);
  });

  it("garbage asked of has() is in no set, even of one holding everything", () => {
    const set = compileAddressSet(["0.0.0.0/0", "::/0"]);
    for (const junk of ["", "nonsense", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4/8", ":::", "1::2::3", "g::1", "::ffff:1.2.3.999", " 1.2.3.4"]) {
      expect(set.has(junk), junk).toBe(false);
    }
  });

  it("ignores entries that are not addresses (they trust no one) and counts duplicates once", () => {
    const set = compileAddressSet(["0x7f.0.0.1", "010.0.0.1", "10.0.0.1/33", "2001:db8::/129", "10.0.0.0/-1", "10.0.0.0/", "fe80::1%eth0", "junk", " 10.1.1.1 ", "10.1.1.1", "10.1.1.1/32"]);
    expect(set.size).toBe(1);
    expect(set.has("10.1.1.1")).toBe(true); // surrounding spaces trimmed
    expect(set.has("127.0.0.1")).toBe(false);
    expect(set.has("8.0.0.1")).toBe(false);
    expect(set.has("10.0.0.1")).toBe(false);
    expect(set.has("2001:db8::1")).toBe(false);
    expect(set.has("fe80::1")).toBe(false);
    expect(compileAddressSet([]).has("127.0.0.1")).toBe(false);
    expect(compileAddressSet([]).has("::1")).toBe(false);
  });

  it("a lookup costs the same with 3 000 entries as with 3 of the same prefix lengths", () => {
    const many = [
      ...Array.from({ length: 2000 }, (_, i) => `10.${i >> 8}.${i & 255}.7`),
      ...Array.from({ length: 500 }, (_, i) => `172.${16 + (i >> 8)}.${i & 255}.0/24`),
      ...Array.from({ length: 500 }, (_, i) => `2001:db8:${i.toString(16)}::/48`),
    ];
    const few = ["10.0.0.7", "172.16.0.0/24", "2001:db8::/48"];
    const large = compileAddressSet(many);
    const small = compileAddressSet(few);
    expect(large.size).toBe(3000);
    expect(large.has("10.7.207.7")).toBe(true);
    expect(large.has("172.17.243.42")).toBe(true);
    expect(large.has("172.17.244.42")).toBe(false);
    expect(large.has("2001:db8:1f3:1::9")).toBe(true);
    expect(large.has("2001:db8:1f4::9")).toBe(false);
    // Same prefix lengths → same probes: the time per lookup must not grow with the entry count. A linear
    // scan of 3 000 entries is > 100× slower than 3 Set probes, so a 10× bound tells them apart on a busy box.
    const time = (set: ReturnType<typeof compileAddressSet>): number => {
      let best = Infinity;
      for (let round = 0; round < 5; round++) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < 20_000; i++) set.has("203.0.113.9");
        best = Math.min(best, Number(process.hrtime.bigint() - start));
      }
      return best;
    };
    time(large);
    time(small);
    expect(time(large)).toBeLessThan(time(small) * 10);
  });
});
