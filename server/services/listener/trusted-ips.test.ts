import { describe, expect, it } from "vitest";
import { parseTrustedIps, TRUSTED_IPS_LIMIT } from "./trusted-ips";

const entries = (input: string | string[]) => {
  const parsed = parseTrustedIps(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.entries;
};
const problem = (input: string | string[]) => {
  const parsed = parseTrustedIps(input);
  return parsed.ok ? null : parsed.message;
};

describe("Trusted IPs", () => {
  it("takes IPv4 and IPv6 addresses and CIDR blocks, comma/space/new-line separated, in the order entered", () => {
    expect(entries("10.0.0.0/8, 192.168.0.10\n2001:db8::/32 ::1 0.0.0.0/0,::/0")).toEqual(["10.0.0.0/8", "192.168.0.10", "2001:db8::/32", "::1", "0.0.0.0/0", "::/0"]);
    expect(entries(["127.0.0.1", " ", "fd00::/8"])).toEqual(["127.0.0.1", "fd00::/8"]);
    expect(entries("")).toEqual([]);
  });

  it("stores IPv6 in its short lower-case form and IPv4-mapped IPv6 as the IPv4 it maps", () => {
    expect(entries("2001:DB8:0:0::1,FE80:0000::/10")).toEqual(["2001:db8::1", "fe80::/10"]);
    expect(entries("::ffff:10.0.0.1, ::ffff:10.0.0.0/104")).toEqual(["10.0.0.1", "10.0.0.0/8"]);
  });

  it("refuses an entry that is not an address or CIDR block, naming it", () => {
    expect(problem("10.0.0.1, 10.1")).toBe("Trusted IPs: 10.1 is not an IPv4 or IPv6 address or CIDR block (e.g. 192.168.0.10, 10.0.0.0/8 or 2001:db8::/32)");
    expect(problem("example.com")).toMatch(/^Trusted IPs: example\.com is not an IPv4 or IPv6 address/);
    expect(problem("0x0a.0.0.1")).toMatch(/^Trusted IPs: 0x0a\.0\.0\.1 is not/);
    expect(problem("2001:db8::g")).toMatch(/^Trusted IPs: 2001:db8::g is not/);
    expect(problem("fe80::1%eth0")).toBe("Trusted IPs: fe80::1%eth0 has a zone index (%); enter the address without it");
  });

  it("refuses a prefix out of range and a block with host bits set, with the network it meant", () => {
    expect(problem("10.0.0.0/33")).toBe("Trusted IPs: 10.0.0.0/33 is not a CIDR block: the prefix length after / must be 0 to 32 for an IPv4 address (e.g. 192.168.0.10, 10.0.0.0/8 or 2001:db8::/32)");
    expect(problem("2001:db8::/129")).toMatch(/prefix length after \/ must be 0 to 128 for an IPv6 address/);
    expect(problem("10.0.0.0/")).toMatch(/^Trusted IPs: 10\.0\.0\.0\/ is not a CIDR block/);
    expect(problem("10.0.0.0/08")).toMatch(/^Trusted IPs: 10\.0\.0\.0\/08 is not a CIDR block/);
    expect(problem("10.0.0.1/8")).toBe("Trusted IPs: 10.0.0.1/8 is not a network address; did you mean 10.0.0.0/8?");
    expect(problem("2001:db8::1/32")).toBe("Trusted IPs: 2001:db8::1/32 is not a network address; did you mean 2001:db8::/32?");
  });

  it("refuses duplicates, also in another spelling", () => {
    expect(problem("10.0.0.1,10.0.0.1")).toBe("Trusted IPs: 10.0.0.1 is entered twice");
    expect(problem("2001:db8::1, 2001:DB8:0::1")).toBe("Trusted IPs: 2001:DB8:0::1 is the same as 2001:db8::1, entered before");
    expect(problem("10.0.0.1 ::ffff:10.0.0.1")).toBe("Trusted IPs: ::ffff:10.0.0.1 is the same as 10.0.0.1, entered before");
  });

  it(`holds at most ${TRUSTED_IPS_LIMIT} entries`, () => {
    const many = Array.from({ length: TRUSTED_IPS_LIMIT + 1 }, (_, i) => `10.0.${Math.floor(i / 256)}.${i % 256}`);
    expect(entries(many.slice(0, TRUSTED_IPS_LIMIT))).toHaveLength(TRUSTED_IPS_LIMIT);
    expect(problem(many)).toBe(`Trusted IPs: can contain at most 300 IP addresses or CIDR blocks (301 entered)`);
  });
});
