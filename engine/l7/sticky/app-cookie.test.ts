import { describe, expect, it } from "vitest";
import { AppCookieTable } from "./app-cookie";
import { findCookie, parseSetCookie } from "./cookies";

describe("AppCookieTable", () => {
  it("expires entries after the stickiness duration, sliding on use", () => {
    let now = 0;
    const table = new AppCookieTable(1000, 10, () => now);
    table.learn("s1", "m1");
    now = 900;
    expect(table.lookup("s1")).toBe("m1"); // refreshed to 1900
    now = 1800;
    expect(table.lookup("s1")).toBe("m1");
    now = 2900;
    expect(table.lookup("s1")).toBeUndefined();
  });

  it("stays bounded, evicting the least recently used value", () => {
    const table = new AppCookieTable(60_000, 3);
    for (const v of ["a", "b", "c"]) table.learn(v, `m-${v}`);
    expect(table.lookup("a")).toBe("m-a"); // a is now the most recent
    table.learn("d", "m-d");
    expect(table.size).toBe(3);
    expect(table.lookup("b")).toBeUndefined();
    expect(table.lookup("a")).toBe("m-a");
  });
});

describe("cookie parsing", () => {
  it("finds a cookie among others, quoted or not", () => {
    expect(findCookie("a=1; JSESSIONID=abc; b=2", "JSESSIONID")).toBe("abc");
    expect(findCookie('x=1;SID="q v"', "SID")).toBe("q v");
    expect(findCookie("XSID=1; SIDX=2", "SID")).toBeNull();
  });

  it("reads Set-Cookie name, value and deletion", () => {
    expect(parseSetCookie("SID=v1; Path=/; HttpOnly")).toEqual({ name: "SID", value: "v1", expired: false });
    expect(parseSetCookie("SID=; Max-Age=0")).toEqual({ name: "SID", value: "", expired: true });
    expect(parseSetCookie("garbage")).toBeNull();
  });

  it("takes a past Expires date as a deletion, a future or unparseable one not", () => {
    const now = () => Date.parse("2024-05-01T12:00:00Z");
    const expired = (header: string) => parseSetCookie(header, now)?.expired;
    expect(expired("SID=v1; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT")).toBe(true);
    expect(expired("SID=deleted; expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/")).toBe(true); // PHP
    expect(expired("SID=v1; EXPIRES=Wednesday, 01-May-24 11:59:59 GMT")).toBe(true); // one second ago, RFC 850
    expect(expired("SID=v1; Expires=Wed May  1 12:00:00 2024")).toBe(true); // now is not before it: gone
    expect(expired("SID=v1; Expires=Wed, 01 May 2024 12:00:01 GMT")).toBe(false);
    expect(expired("SID=v1; Expires=Fri, 01 Jan 2100 00:00:00 GMT; HttpOnly")).toBe(false);
    expect(expired("SID=v1; Expires=Tue, 01-Jan-69 00:00:00 GMT")).toBe(false); // 2069 by RFC 6265 (Date.parse: 1969)
    expect(expired("SID=v1; Expires=Wed, 31 Apr 2024 00:00:00 GMT")).toBe(false); // no such date: ignored (Date.parse: 1 May, past)
    expect(expired("SID=v1; Expires=yesterday")).toBe(false); // ignored, as a browser ignores it
    expect(expired("SID=v1; Expires")).toBe(false);
  });

  it("lets Max-Age overrule Expires (RFC 6265 §5.3), the last valid one of each counting", () => {
    const now = () => Date.parse("2024-05-01T12:00:00Z");
    const expired = (header: string) => parseSetCookie(header, now)?.expired;
    expect(expired("SID=v1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=3600")).toBe(false);
    expect(expired("SID=v1; Max-Age=0; Expires=Fri, 01 Jan 2100 00:00:00 GMT")).toBe(true);
    expect(expired("SID=v1; max-age=-1")).toBe(true);
    expect(expired("SID=v1; Max-Age=60; Max-Age=0")).toBe(true);
    expect(expired("SID=v1; Max-Age=0; Max-Age=60")).toBe(false);
    expect(expired("SID=v1; Max-Age=soon; Expires=Thu, 01 Jan 1970 00:00:00 GMT")).toBe(true); // an invalid Max-Age is ignored
    expect(expired("SID=v1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Expires=Fri, 01 Jan 2100 00:00:00 GMT")).toBe(false);
    expect(expired("SID=v1; Expires=Fri, 01 Jan 2100 00:00:00 GMT; Expires=nonsense")).toBe(false); // the unparseable last one is ignored
  });
});
