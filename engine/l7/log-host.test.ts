import { describe, expect, it } from "vitest";
import { logHost } from "./log-host";

describe("logHost (the access log's $host)", () => {
  it("drops the port, one trailing dot and upper case, as nginx's $host", () => {
    expect(logHost("www.example.test:8080")).toBe("www.example.test");
    expect(logHost("WWW.Example.TEST.:8080")).toBe("www.example.test");
    expect(logHost("Example.COM.")).toBe("example.com");
    expect(logHost("127.0.0.1:80")).toBe("127.0.0.1");
  });

  it("keeps an IPv6 literal's brackets and drops only the port after them", () => {
    expect(logHost("[::1]:8080")).toBe("[::1]");
    expect(logHost("[2001:DB8::1]")).toBe("[2001:db8::1]");
  });

  it("hands a host that needs nothing back as it is, and an empty one as empty", () => {
    expect(logHost("a.example")).toBe("a.example");
    expect(logHost("")).toBe("");
    expect(logHost(".")).toBe(".");
  });
});
