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
});
