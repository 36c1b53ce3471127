import { describe, expect, it } from "vitest";
import { decodeProxyHeader } from "./decode";
import { encodeProxyV1, encodeProxyV2 } from "./encode";
import type { ProxyAddresses } from "./proxy-header.types";

const SIG = "0d0a0d0a000d0a515549540a";
const v4: ProxyAddresses = { family: "IPv4", sourceAddress: "192.168.0.1", sourcePort: 56324, destinationAddress: "192.168.0.11", destinationPort: 443 };
const v6: ProxyAddresses = { family: "IPv6", sourceAddress: "2001:db8::1", sourcePort: 56324, destinationAddress: "::1", destinationPort: 443 };
/** An IPv4 client that reached a listener bound on an IPv6 address. */
const mixed: ProxyAddresses = { family: "IPv4", sourceAddress: "10.0.0.7", sourcePort: 40000, destinationAddress: "2001:db8::53", destinationPort: 8443 };

describe("encodeProxyV1 (section 2.1)", () => {
  it("writes the spec's line for TCP4, a TCP6 line for IPv6, and PROXY UNKNOWN for null", () => {
    expect(encodeProxyV1(v4).toString("latin1")).toBe("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n");
    expect(encodeProxyV1(v6).toString("latin1")).toBe("PROXY TCP6 2001:db8::1 ::1 56324 443\r\n");
    expect(encodeProxyV1(null).toString("latin1")).toBe("PROXY UNKNOWN\r\n");
  });

  it("writes a mixed pair as TCP6 with the IPv4 address IPv4-mapped, as HAProxy does", () => {
    expect(encodeProxyV1(mixed).toString("latin1")).toBe("PROXY TCP6 ::ffff:10.0.0.7 2001:db8::53 40000 8443\r\n");
    const mapped = { ...v4, sourceAddress: "::ffff:192.168.0.1", destinationAddress: "::ffff:192.168.0.11" };
    expect(encodeProxyV1(mapped).toString("latin1")).toBe("PROXY TCP6 ::ffff:192.168.0.1 ::ffff:192.168.0.11 56324 443\r\n");
  });

  it("falls back to UNKNOWN for an address that is neither IPv4 nor IPv6, and throws on a port out of range", () => {
    expect(encodeProxyV1({ ...v4, sourceAddress: "/run/x.sock" }).toString("latin1")).toBe("PROXY UNKNOWN\r\n");
    expect(encodeProxyV1({ ...v4, destinationAddress: "" }).toString("latin1")).toBe("PROXY UNKNOWN\r\n");
    expect(() => encodeProxyV1({ ...v4, sourcePort: 65536 })).toThrow(/source port 65536 is not a port/);
    expect(() => encodeProxyV1({ ...v4, destinationPort: -1 })).toThrow(/destination port -1/);
    expect(() => encodeProxyV2({ ...v4, sourcePort: 1.5 }, "STREAM")).toThrow(RangeError);
  });

  it("returns a fresh buffer each call (a caller may keep or reuse it)", () => {
    const first = encodeProxyV1(null);
    first.fill(0);
    expect(encodeProxyV1(null).toString("latin1")).toBe("PROXY UNKNOWN\r\n");
    encodeProxyV2(null, "STREAM").fill(0);
    expect(encodeProxyV2(null, "STREAM").toString("hex")).toBe(`${SIG}20000000`);
  });
});

describe("encodeProxyV2 (section 2.2)", () => {
  it("writes TCP over IPv4 (\\x21 \\x11, length 12) byte for byte", () => {
    expect(encodeProxyV2(v4, "STREAM").toString("hex")).toBe(`${SIG}2111000c` + "c0a80001" + "c0a8000b" + "dc04" + "01bb");
  });

  it("writes UDP over IPv6 (\\x21 \\x22, length 36) byte for byte", () => {
    expect(encodeProxyV2(v6, "DGRAM").toString("hex")).toBe(
      `${SIG}21220024` + "20010db8000000000000000000000001" + "00000000000000000000000000000001" + "dc04" + "01bb",
    );
  });

  it("writes a mixed pair as AF_INET6 with the IPv4 address IPv4-mapped", () => {
    expect(encodeProxyV2(mixed, "STREAM").toString("hex")).toBe(
      `${SIG}21210024` + "00000000000000000000ffff0a000007" + "20010db8000000000000000000000053" + "9c40" + "20fb",
    );
  });

  it("writes LOCAL with AF_UNSPEC and length 0 for null, and for an address it cannot describe", () => {
    expect(encodeProxyV2(null, "STREAM").toString("hex")).toBe(`${SIG}20000000`);
    expect(encodeProxyV2(null, "DGRAM").toString("hex")).toBe(`${SIG}20000000`);
    expect(encodeProxyV2({ ...v6, sourceAddress: "not-an-ip" }, "STREAM").toString("hex")).toBe(`${SIG}20000000`);
    expect(encodeProxyV2({ ...v6, destinationAddress: "1::2::3" }, "DGRAM").toString("hex")).toBe(`${SIG}20000000`);
  });
});

describe("encode → decode round trips", () => {
  const pairs: [string, ProxyAddresses][] = [
    ["IPv4", v4],
    ["IPv6", v6],
    ["loopback", { family: "IPv4", sourceAddress: "127.0.0.42", sourcePort: 1, destinationAddress: "127.10.0.5", destinationPort: 65535 }],
    ["zero ports", { family: "IPv4", sourceAddress: "0.0.0.0", sourcePort: 0, destinationAddress: "255.255.255.255", destinationPort: 0 }],
    ["IPv4-mapped", { family: "IPv6", sourceAddress: "::ffff:127.0.0.1", sourcePort: 5, destinationAddress: "::ffff:127.0.0.2", destinationPort: 6 }],
    ["long IPv6", { family: "IPv6", sourceAddress: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", sourcePort: 65535, destinationAddress: "fe80::1:2:3:4", destinationPort: 65535 }],
  ];

  for (const [name, addresses] of pairs) {
    it(`v1 and v2 STREAM/DGRAM keep the ${name} addresses and ports`, () => {
      const line = decodeProxyHeader(encodeProxyV1(addresses));
      expect(line).toMatchObject({ status: "header", header: { version: 1, command: "PROXY", transport: "STREAM", addresses, tlvs: [] } });
      for (const transport of ["STREAM", "DGRAM"] as const) {
        const bytes = encodeProxyV2(addresses, transport);
        expect(decodeProxyHeader(bytes)).toEqual({ status: "header", length: bytes.length, header: { version: 2, command: "PROXY", transport, addresses, tlvs: [] } });
      }
    });
  }

  it("v1 UNKNOWN and v2 LOCAL decode as a header without addresses", () => {
    expect(decodeProxyHeader(encodeProxyV1(null))).toEqual({
      status: "header",
      length: 15,
      header: { version: 1, command: "PROXY", transport: "UNSPEC", addresses: null, tlvs: [] },
    });
    expect(decodeProxyHeader(encodeProxyV2(null, "STREAM"))).toEqual({
      status: "header",
      length: 16,
      header: { version: 2, command: "LOCAL", transport: "UNSPEC", addresses: null, tlvs: [] },
    });
  });

  it("a mixed pair decodes as IPv6 with the IPv4 side IPv4-mapped", () => {
    const expected = { family: "IPv6", sourceAddress: "::ffff:10.0.0.7", destinationAddress: "2001:db8::53", sourcePort: 40000, destinationPort: 8443 };
    expect(decodeProxyHeader(encodeProxyV1(mixed))).toMatchObject({ header: { addresses: expected } });
    expect(decodeProxyHeader(encodeProxyV2(mixed, "DGRAM"))).toMatchObject({ header: { addresses: expected, transport: "DGRAM" } });
  });
});
