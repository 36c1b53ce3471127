import { describe, expect, it } from "vitest";
import { sourceIpOf, trustedProxies } from "./init";

const headers = (xff?: string) => new Headers(xff === undefined ? {} : { "x-forwarded-for": xff });

describe("the client address of a request (traces, log-in throttle)", () => {
  it("is the right-most address of X-Forwarded-For that is not a trusted proxy", () => {
    const trusted = trustedProxies(" 127.0.0.2 , 10.0.0.5,");
    expect([...trusted]).toEqual(["127.0.0.2", "10.0.0.5"]);
    // No trusted proxy: the console server wrote the socket's peer alone.
    expect(sourceIpOf(headers("127.0.0.1"), trusted)).toBe("127.0.0.1");
    // A trusted proxy passed the client on: its chain plus the proxy itself.
    expect(sourceIpOf(headers("203.0.113.9, 127.0.0.2"), trusted)).toBe("203.0.113.9");
    // The client forged a first entry; the proxy appended the real client: the forged one is ignored.
    expect(sourceIpOf(headers("198.51.100.1, 203.0.113.9, 127.0.0.2"), trusted)).toBe("203.0.113.9");
    // Two trusted proxies in a row.
    expect(sourceIpOf(headers("203.0.113.9, 10.0.0.5, 127.0.0.2"), trusted)).toBe("203.0.113.9");
    // Only trusted proxies (a proxy calling the console itself): the first of them.
    expect(sourceIpOf(headers("10.0.0.5, 127.0.0.2"), trusted)).toBe("10.0.0.5");
    expect(sourceIpOf(headers(), trusted)).toBe("127.0.0.1");
  });

  it("reads ELB_TRUSTED_PROXIES by default", () => {
    const before = process.env.ELB_TRUSTED_PROXIES;
    try {
      process.env.ELB_TRUSTED_PROXIES = "127.0.0.2";
      expect(sourceIpOf(headers("198.51.100.1, 203.0.113.9, 127.0.0.2"))).toBe("203.0.113.9");
      delete process.env.ELB_TRUSTED_PROXIES;
      expect(sourceIpOf(headers("203.0.113.9, 127.0.0.2"))).toBe("127.0.0.2");
    } finally {
      if (before === undefined) delete process.env.ELB_TRUSTED_PROXIES;
      else process.env.ELB_TRUSTED_PROXIES = before;
    }
  });
});
