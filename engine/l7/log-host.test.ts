import { describe, expect, it } from "vitest";
import { logHost } from "./log-host";

/** [authority as received, the access log's host]: nginx's $host. */
const CASES: [string, string][] = [
  ["www.example.test:8080", "www.example.test"], // the port dropped
  ["WWW.Example.TEST.:8080", "www.example.test"], // and one trailing dot, and upper case
  ["Example.COM.", "example.com"],
  ["127.0.0.1:80", "127.0.0.1"],
  ["[::1]:8080", "[::1]"], // an IPv6 literal keeps its brackets
  ["[2001:DB8::1]", "[2001:db8::1]"],
  ["a.example", "a.example"], // nothing to change
  [".", "."],
  ["", ""],
];

describe("logHost (the access log's $host)", () => {
  it.each(CASES)("%j is logged as %j", (authority, host) => {
    expect(logHost(authority)).toBe(host);
  });
});
