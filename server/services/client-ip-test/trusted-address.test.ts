import { describe, expect, it } from "vitest";
import { isTrustedAddress } from "./trusted-address";

describe("isTrustedAddress (is the tester's loopback address in Trusted IPs?)", () => {
  it("matches addresses and CIDR blocks of the same family", () => {
    expect(isTrustedAddress(["127.0.0.77"], "127.0.0.77")).toBe(true);
    expect(isTrustedAddress(["127.0.0.0/8"], "127.0.0.77")).toBe(true);
    expect(isTrustedAddress(["127.0.0.76/32"], "127.0.0.77")).toBe(false);
    expect(isTrustedAddress(["10.0.0.0/8", "::1"], "127.0.0.77")).toBe(false);
    expect(isTrustedAddress(["::ffff:127.0.0.0/104"], "127.0.0.77")).toBe(true);
    expect(isTrustedAddress(["127.0.0.77"], "::ffff:127.0.0.77")).toBe(true);
  });

  it("trusts no one for entries that do not parse", () => {
    expect(isTrustedAddress(["garbage", "127.0.0.0/99", ""], "127.0.0.77")).toBe(false);
    expect(isTrustedAddress([], "127.0.0.77")).toBe(false);
  });
});
