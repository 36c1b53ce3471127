import { describe, expect, it } from "vitest";
import { SniTable } from "./sni-table";

describe("SniTable", () => {
  const table = new SniTable("default");
  table.add("a.example.com", "a");
  table.add("*.example.com", "wild");
  table.add("Exact.Example.ORG.", "org");
  table.add("a.example.com", "second"); // the first certificate keeps a domain

  it("exact domain first, then the one-label wildcard of its parent", () => {
    expect(table.select("a.example.com")).toBe("a");
    expect(table.select("b.example.com")).toBe("wild");
    expect(table.select("a.b.example.com")).toBe("default");
    expect(table.select("example.com")).toBe("default");
  });

  it("case-insensitive, one trailing dot ignored, on both sides", () => {
    expect(table.select("A.EXAMPLE.COM.")).toBe("a");
    expect(table.select("exact.example.org")).toBe("org");
    expect(table.select("B.Example.Com")).toBe("wild");
  });

  it("no server name or no match: the fallback", () => {
    expect(table.select(undefined)).toBe("default");
    expect(table.select("")).toBe("default");
    expect(table.select("localhost")).toBe("default");
    expect(table.select(".example.com")).toBe("default");
  });
});
