import { describe, expect, it } from "vitest";
import { parseWhitelist, WHITELIST_LIMIT } from "./access-control-whitelist";

describe("parseWhitelist (guide 3.6, table 3-6)", () => {
  it("takes the guide's comma-separated example, spaces and new lines, and a list", () => {
    expect(parseWhitelist("10.168.2.24,10.168.16.0/24")).toEqual({ ok: true, entries: ["10.168.2.24", "10.168.16.0/24"] });
    expect(parseWhitelist(" 10.0.0.1 , 10.0.0.2\n192.168.0.0/16,")).toEqual({ ok: true, entries: ["10.0.0.1", "10.0.0.2", "192.168.0.0/16"] });
    expect(parseWhitelist(["127.0.0.1", "0.0.0.0/0", "10.1.2.3/32"])).toEqual({ ok: true, entries: ["127.0.0.1", "0.0.0.0/0", "10.1.2.3/32"] });
    expect(parseWhitelist("")).toEqual({ ok: true, entries: [] });
  });

  it("removes duplicates, keeping the first place", () => {
    expect(parseWhitelist("10.0.0.2,10.0.0.1,10.0.0.2,10.0.0.0/8,10.0.0.0/8")).toEqual({ ok: true, entries: ["10.0.0.2", "10.0.0.1", "10.0.0.0/8"] });
  });

  it("refuses IPv6 addresses and blocks, naming the entry", () => {
    expect(parseWhitelist("10.0.0.1,2001:db8::1")).toEqual({ ok: false, message: "Whitelist: 2001:db8::1 is an IPv6 address; the whitelist supports IPv4 addresses and CIDR blocks only" });
    expect(parseWhitelist(["2001:db8::/32"])).toEqual({ ok: false, message: "Whitelist: 2001:db8::/32 is an IPv6 CIDR block; the whitelist supports IPv4 addresses and CIDR blocks only" });
    expect(parseWhitelist("::ffff:10.0.0.1")).toMatchObject({ ok: false, message: /::ffff:10\.0\.0\.1 is an IPv6 address/ });
  });

  it("refuses a malformed entry, naming it", () => {
    for (const entry of ["10.1.2", "10.1.2.256", "010.1.2.3", "host.example.com", "1.2.3.4-1.2.3.9"])
      expect(parseWhitelist(`10.0.0.1,${entry}`)).toEqual({ ok: false, message: `Whitelist: ${entry} is not an IPv4 address or CIDR block (e.g. 10.168.2.24 or 10.168.16.0/24)` });
    for (const entry of ["10.0.0.0/33", "10.0.0.0/08", "10.0.0.0/a", "10.1.2.3/"])
      expect(parseWhitelist(entry)).toEqual({ ok: false, message: `Whitelist: ${entry} is not an IPv4 CIDR block: the prefix length after / must be 0 to 32 (e.g. 10.168.2.24 or 10.168.16.0/24)` });
  });

  it("refuses a CIDR block with host bits set and says which network it meant", () => {
    expect(parseWhitelist("10.1.2.3/24")).toEqual({ ok: false, message: "Whitelist: 10.1.2.3/24 is not a network address; did you mean 10.1.2.0/24?" });
    expect(parseWhitelist("172.16.200.1/12")).toEqual({ ok: false, message: "Whitelist: 172.16.200.1/12 is not a network address; did you mean 172.16.0.0/12?" });
  });

  it(`takes ${WHITELIST_LIMIT} entries and refuses ${WHITELIST_LIMIT + 1} (counted after removing duplicates)`, () => {
    const addresses = (n: number) => Array.from({ length: n }, (_, i) => `10.0.${Math.floor(i / 256)}.${i % 256}`);
    expect(parseWhitelist(addresses(300).join(","))).toMatchObject({ ok: true, entries: { length: 300 } });
    expect(parseWhitelist([...addresses(300), "10.0.0.0"].join(","))).toMatchObject({ ok: true, entries: { length: 300 } });
    expect(parseWhitelist(addresses(301))).toEqual({ ok: false, message: "Whitelist: can contain at most 300 IP addresses or CIDR blocks (301 entered)" });
  });
});
