import { describe, expect, it } from "vitest";
import { parseCookieDate } from "./cookie-date";

const at = (iso: string) => Date.parse(iso);

describe("parseCookieDate (RFC 6265 §5.1.1)", () => {
  it("reads the IMF-fixdate and the obsolete RFC 850 and asctime forms, always as UTC", () => {
    const t = at("1994-11-06T08:49:37Z");
    expect(parseCookieDate("Sun, 06 Nov 1994 08:49:37 GMT")).toBe(t);
    expect(parseCookieDate("Sunday, 06-Nov-94 08:49:37 GMT")).toBe(t);
    expect(parseCookieDate("Sun Nov  6 08:49:37 1994")).toBe(t); // no zone: still UTC (Date.parse reads it as local time)
  });

  it("reads the variants servers send: dashes with a 4-digit year, no weekday, UTC, odd case, one-digit fields", () => {
    expect(parseCookieDate("Thu, 01-Jan-1970 00:00:01 GMT")).toBe(1000); // PHP's deletion date
    expect(parseCookieDate("01 Jan 1970 00:00:00 GMT")).toBe(0);
    expect(parseCookieDate("Thu, 01 Jan 1970 00:00:00 UTC")).toBe(0);
    expect(parseCookieDate("thu, 01 JANUARY 1970 0:0:0 gmt")).toBe(0);
    expect(parseCookieDate("  Wed, 09 Jun 2021 10:18:14 GMT  ")).toBe(at("2021-06-09T10:18:14Z"));
  });

  it("maps 2-digit years 70–99 to 19xx and 00–69 to 20xx", () => {
    expect(parseCookieDate("01-Jan-70 00:00:00 GMT")).toBe(0);
    expect(parseCookieDate("31-Dec-99 23:59:59 GMT")).toBe(at("1999-12-31T23:59:59Z"));
    expect(parseCookieDate("01-Jan-00 00:00:00 GMT")).toBe(at("2000-01-01T00:00:00Z"));
    expect(parseCookieDate("1 Jan 69 00:00:00 GMT")).toBe(at("2069-01-01T00:00:00Z")); // Date.parse: 1969
  });

  it("gives NaN for a missing part, a field out of range, a date that does not exist, or a year before 1601", () => {
    for (const bad of [
      "",
      "garbage",
      "Sun, 06 Nov 1994 GMT", // no time
      "Sun, Nov 1994 08:49:37 GMT", // no day
      "Sun, 06 1994 08:49:37 GMT", // no month
      "Sun, 06 Nov 08:49:37 GMT", // no year
      "Sun, 06 Nov 1994 24:00:00 GMT",
      "Sun, 06 Nov 1994 08:60:00 GMT",
      "Sun, 06 Nov 1994 08:49:60 GMT",
      "Sun, 32 Nov 1994 08:49:37 GMT",
      "Sun, 00 Nov 1994 08:49:37 GMT",
      "Fri, 31 Apr 2020 00:00:00 GMT", // Date.parse: 1 May
      "Wed, 29 Feb 1995 00:00:00 GMT",
      "Mon, 01 Jan 1600 00:00:00 GMT",
      "Sun, 06 Nov 19940 08:49:37 GMT", // 5-digit year
      "Sun, 006 Nov 1994 08:49:37 GMT", // a 3-digit day is no day (it is taken as the year 2006)
    ]) {
      expect(parseCookieDate(bad), bad).toBeNaN();
    }
    expect(parseCookieDate("Tue, 29 Feb 2000 00:00:00 GMT")).toBe(at("2000-02-29T00:00:00Z")); // a leap day that exists
  });
});
