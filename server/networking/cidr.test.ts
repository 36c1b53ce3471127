import { describe, expect, it } from "vitest";
import { blockContains, firstFreeHost, isIpv4Cidr, isUsableHost, parseIpv4Cidr } from "./cidr";

describe("cidr", () => {
  it("normalises host bits and computes the range", () => {
    const block = parseIpv4Cidr("127.10.3.4/16");
    expect(block.cidr).toBe("127.10.0.0/16");
    expect(blockContains(block, "127.10.255.255")).toBe(true);
    expect(blockContains(block, "127.11.0.0")).toBe(false);
    expect(blockContains(block, "not-an-ip")).toBe(false);
  });
  it("reserves network, gateway and broadcast addresses", () => {
    const block = parseIpv4Cidr("127.10.0.0/24");
    expect(isUsableHost(block, "127.10.0.0")).toBe(false);
    expect(isUsableHost(block, "127.10.0.1")).toBe(false);
    expect(isUsableHost(block, "127.10.0.255")).toBe(false);
    expect(isUsableHost(block, "127.10.0.2")).toBe(true);
    expect(firstFreeHost(block, new Set(["127.10.0.2"]))).toBe("127.10.0.3");
  });
  it("reports a full block", () => {
    const block = parseIpv4Cidr("127.10.0.0/29");
    const used = new Set(["127.10.0.2", "127.10.0.3", "127.10.0.4", "127.10.0.5", "127.10.0.6"]);
    expect(firstFreeHost(block, used)).toBeNull();
  });
  it("rejects bad CIDRs", () => {
    expect(isIpv4Cidr("127.10.0.0/33")).toBe(false);
    expect(isIpv4Cidr("::1/128")).toBe(false);
    expect(isIpv4Cidr("10.0.0.0/8")).toBe(true);
  });
});
