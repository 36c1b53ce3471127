import { describe, expect, it } from "vitest";
import { compileAddressSet } from "../access-control/address-set";
import { parseForwardedAddress, realIpFromChain, realIpFromValue } from "./real-ip";

/**
 * The real client read from a trusted peer's X-Forwarded-For / X-Real-IP (real-ip.ts), against nginx's
 * realip module semantics (`ngx_http_get_forwarded_addr`): without recursion the right-most address;
 * with `real_ip_recursive on` the right-most untrusted one, the left-most when all are trusted; an element
 * that is not an address stops the walk and keeps what was found (the connection's address if nothing).
 */

const trusted = compileAddressSet(["10.0.0.0/8", "127.0.0.0/8", "2001:db8:ffff::/48"]);
const CONN = "127.0.0.2";

describe("realIpFromChain", () => {
  it("takes the right-most address without recursion, trusted or not", () => {
    expect(realIpFromChain("198.51.100.9, 10.1.1.1", CONN, trusted, false)).toBe("10.1.1.1");
    expect(realIpFromChain("198.51.100.9", CONN, trusted, false)).toBe("198.51.100.9");
  });

  it("walks right to left past trusted addresses with recursion", () => {
    expect(realIpFromChain("203.0.113.1, 198.51.100.9, 10.2.2.2, 10.1.1.1", CONN, trusted, true)).toBe("198.51.100.9");
    expect(realIpFromChain("198.51.100.9,10.1.1.1", CONN, trusted, true)).toBe("198.51.100.9");
  });

  it("gives the left-most address when every address of the chain is trusted", () => {
    expect(realIpFromChain("10.3.3.3, 10.2.2.2, 10.1.1.1", CONN, trusted, true)).toBe("10.3.3.3");
  });

  it("keeps the connection's address for an unparsable right-most element, the last good one mid-walk", () => {
    expect(realIpFromChain("198.51.100.9, unknown", CONN, trusted, false)).toBe(CONN);
    expect(realIpFromChain("198.51.100.9, unknown", CONN, trusted, true)).toBe(CONN);
    expect(realIpFromChain("198.51.100.9, junk, 10.2.2.2, 10.1.1.1", CONN, trusted, true)).toBe("10.2.2.2");
    expect(realIpFromChain("", CONN, trusted, true)).toBe(CONN);
  });

  it("skips empty elements and surrounding whitespace", () => {
    expect(realIpFromChain(" 198.51.100.9 , ,10.1.1.1 ,", CONN, trusted, true)).toBe("198.51.100.9");
    expect(realIpFromChain("198.51.100.9, ", CONN, trusted, false)).toBe("198.51.100.9");
  });

  it("reads IPv6 (bracketed, with ports, IPv4-mapped) and judges it against IPv6 trusted networks", () => {
    expect(realIpFromChain("2001:db8::7, 2001:db8:ffff::1", CONN, trusted, true)).toBe("2001:db8::7");
    expect(realIpFromChain("[2001:DB8:0:0::7]:4711", CONN, trusted, false)).toBe("2001:db8::7");
    expect(realIpFromChain("198.51.100.9:1234, ::ffff:10.1.1.1", CONN, trusted, true)).toBe("198.51.100.9");
  });
});

describe("realIpFromValue (X-Real-IP)", () => {
  it("takes one address, else keeps the connection's", () => {
    expect(realIpFromValue(" 198.51.100.20 ", CONN)).toBe("198.51.100.20");
    expect(realIpFromValue("198.51.100.20, 10.1.1.1", CONN)).toBe(CONN);
    expect(realIpFromValue("", CONN)).toBe(CONN);
  });
});

describe("parseForwardedAddress", () => {
  it("normalises what it accepts", () => {
    expect(parseForwardedAddress("127.0.0.9")).toBe("127.0.0.9");
    expect(parseForwardedAddress("127.0.0.9:80")).toBe("127.0.0.9");
    expect(parseForwardedAddress("::1")).toBe("::1");
    expect(parseForwardedAddress("[::1]")).toBe("::1");
    expect(parseForwardedAddress("[::1]:443")).toBe("::1");
    expect(parseForwardedAddress("::FFFF:192.0.2.1")).toBe("192.0.2.1");
    expect(parseForwardedAddress("0:0:0:0:0:0:0:1")).toBe("::1");
  });

  it("refuses what is not one address", () => {
    for (const bad of ["", "unknown", "_hidden", "1", "0x7f.0.0.1", "127.1", "256.0.0.1", "1.2.3.4:", "1.2.3.4:123456", "1.2.3.4:x", "[1.2.3.4]", "[::1", "[::1]x", "fe80::1%eth0", "::1:80:", "a.b.c.d", "1.2.3.4 5"]) {
      expect(parseForwardedAddress(bad), bad).toBeNull();
    }
  });
});
