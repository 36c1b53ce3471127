import { describe, expect, it } from "vitest";
import { blockContains, blockContainsBlock, blocksOverlap, firstFreeHost, isIpv4Cidr, isUsableHost, parseIpv4Cidr, prefixLength, usableHostCount } from "./cidr";

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
  it("accepts only dotted quads, not ipaddr.js shorthands", () => {
    expect(isIpv4Cidr("10/8")).toBe(false);
    expect(isIpv4Cidr("0x7f.0.0.1/8")).toBe(false);
    expect(isIpv4Cidr("127.10.0.0")).toBe(false);
  });
  it("tells overlapping and nested blocks apart", () => {
    const vpc = parseIpv4Cidr("192.168.0.0/16");
    const a = parseIpv4Cidr("192.168.0.0/24");
    const b = parseIpv4Cidr("192.168.1.0/24");
    const wide = parseIpv4Cidr("192.168.0.0/23");
    expect(blocksOverlap(a, b)).toBe(false);
    expect(blocksOverlap(a, wide)).toBe(true);
    expect(blocksOverlap(wide, b)).toBe(true);
    expect(blocksOverlap(vpc, parseIpv4Cidr("192.169.0.0/16"))).toBe(false);
    expect(blockContainsBlock(vpc, a)).toBe(true);
    expect(blockContainsBlock(vpc, vpc)).toBe(true);
    expect(blockContainsBlock(a, vpc)).toBe(false);
    expect(blockContainsBlock(vpc, parseIpv4Cidr("192.0.0.0/8"))).toBe(false);
  });
  it("counts prefix length and usable hosts", () => {
    expect(prefixLength(parseIpv4Cidr("10.0.0.0/8"))).toBe(8);
    expect(prefixLength(parseIpv4Cidr("10.0.0.0/32"))).toBe(32);
    expect(usableHostCount(parseIpv4Cidr("127.10.0.0/24"))).toBe(253);
    expect(usableHostCount(parseIpv4Cidr("127.10.0.0/30"))).toBe(3);
    expect(usableHostCount(parseIpv4Cidr("127.10.0.0/32"))).toBe(0);
  });
});
