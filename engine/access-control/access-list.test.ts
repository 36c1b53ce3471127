import { describe, expect, it } from "vitest";
import { AccessList, AccessListCache, compileAccessList } from "./access-list";
import { ipv4ToUint32 } from "./ipv4";

describe("AccessList (compiled whitelist)", () => {
  it("admits listed addresses and CIDR blocks, refuses the rest", () => {
    const list = new AccessList(["10.168.2.24", "10.168.16.0/24", "192.168.0.0/16", "127.0.0.2"]);
    expect(list.admits("10.168.2.24")).toBe(true);
    expect(list.admits("10.168.2.25")).toBe(false);
    expect(list.admits("10.168.16.0")).toBe(true);
    expect(list.admits("10.168.16.255")).toBe(true);
    expect(list.admits("10.168.17.0")).toBe(false);
    expect(list.admits("192.168.200.1")).toBe(true);
    expect(list.admits("127.0.0.2")).toBe(true);
    expect(list.admits("127.0.0.3")).toBe(false);
  });

  it("reads a CIDR block with host bits set as its network (10.0.0.5/24 = 10.0.0.0/24)", () => {
    const list = new AccessList(["10.0.0.5/24"]);
    expect(list.admits("10.0.0.200")).toBe(true);
    expect(list.admits("10.0.1.1")).toBe(false);
  });

  it("takes IPv4-mapped IPv6 clients as their IPv4 and refuses pure IPv6 clients", () => {
    const list = new AccessList(["127.0.0.0/8"]);
    expect(list.admits("::ffff:127.0.0.9")).toBe(true);
    expect(list.admits("::ffff:7f00:9")).toBe(true); // the same address spelled in hex
    expect(list.admits("::1")).toBe(false);
    expect(list.admits("2001:db8::1")).toBe(false);
    expect(new AccessList(["0.0.0.0/0"]).admits("::1")).toBe(false);
    expect(new AccessList(["0.0.0.0/0"]).admits("203.0.113.9")).toBe(true);
  });

  it("enabled with an empty whitelist admits nobody; disabled (null) compiles to no list", () => {
    const empty = compileAccessList({ whitelist: [] })!;
    expect(empty.admits("127.0.0.1")).toBe(false);
    expect(compileAccessList(null)).toBeNull();
    expect(compileAccessList(undefined)).toBeNull();
  });

  it("ignores entries that are not IPv4 (IPv6, octal/hex spellings, junk): they admit no one", () => {
    const list = new AccessList(["2001:db8::/32", "0x7f.0.0.1", "010.0.0.1", "10.0.0.1/33", "nonsense", " 10.1.1.1 "]);
    expect(list.admits("127.0.0.1")).toBe(false);
    expect(list.admits("8.0.0.1")).toBe(false);
    expect(list.admits("10.1.1.1")).toBe(true); // surrounding spaces trimmed
    expect(list.probes).toBe(1);
  });

  it("costs one probe per distinct prefix length, not per entry: 300 entries of two lengths make 2 probes", () => {
    const entries = [...Array.from({ length: 200 }, (_, i) => `10.${i >> 8}.${i & 255}.7`), ...Array.from({ length: 100 }, (_, i) => `172.16.${i}.0/24`)];
    const list = new AccessList(entries);
    expect(list.probes).toBe(2);
    expect(list.admits("10.0.199.7")).toBe(true);
    expect(list.admits("172.16.99.42")).toBe(true);
    expect(list.admits("172.16.100.42")).toBe(false);
  });

  it("the cache recompiles only when the setting changes", () => {
    const cache = new AccessListCache();
    const first = cache.update({ whitelist: ["127.0.0.1"] });
    expect(cache.update({ whitelist: ["127.0.0.1"] })).toBe(first);
    const second = cache.update({ whitelist: ["127.0.0.2"] });
    expect(second).not.toBe(first);
    expect(second!.admits("127.0.0.2")).toBe(true);
    expect(cache.update(null)).toBeNull();
    expect(cache.update({ whitelist: [] })!.admits("127.0.0.2")).toBe(false);
  });
});

describe("ipv4ToUint32", () => {
  it("reads dotted quads and mapped IPv6, -1 for anything else", () => {
    expect(ipv4ToUint32("0.0.0.0")).toBe(0);
    expect(ipv4ToUint32("255.255.255.255")).toBe(0xffffffff);
    expect(ipv4ToUint32("127.0.0.1")).toBe(0x7f000001);
    expect(ipv4ToUint32("::ffff:10.0.0.1")).toBe(0x0a000001);
    for (const bad of ["", "1.2.3", "1.2.3.", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "1.2.3.4 ", "::1", "fe80::1%eth0", "a.b.c.d"]) expect(ipv4ToUint32(bad)).toBe(-1);
  });
});
