import { describe, expect, it } from "vitest";
import { SourceIpStickyTable } from "./source-ip-table";

describe("source-IP sticky table", () => {
  it("remembers a client for the duration, refreshed on use", () => {
    let now = 0;
    const table = new SourceIpStickyTable(1000, 10, () => now);
    table.set("10.0.0.1", "m1");
    now = 900;
    expect(table.get("10.0.0.1")).toBe("m1");
    now = 1800; // 900 after the refresh
    expect(table.get("10.0.0.1")).toBe("m1");
    now = 2800; // 1000 after the last use: expired
    expect(table.get("10.0.0.1")).toBeUndefined();
    expect(table.size).toBe(0);
  });

  it("re-sticks a client to another member", () => {
    const table = new SourceIpStickyTable(1000);
    table.set("10.0.0.1", "m1");
    table.set("10.0.0.1", "m2");
    expect(table.get("10.0.0.1")).toBe("m2");
    expect(table.size).toBe(1);
  });

  it("sweeps expired entries and stays within its bound", () => {
    let now = 0;
    const table = new SourceIpStickyTable(100, 3, () => now);
    for (let i = 0; i < 3; i++) table.set(`10.0.0.${i}`, "m");
    now = 50;
    table.get("10.0.0.0"); // refreshed: now the newest
    table.set("10.0.0.9", "m"); // full: evicts the oldest (10.0.0.1)
    expect(table.size).toBe(3);
    expect(table.get("10.0.0.1")).toBeUndefined();
    now = 120; // 10.0.0.2 (expired at 100) is swept on the next set
    table.set("10.0.0.8", "m");
    expect(table.size).toBe(3);
    expect(table.get("10.0.0.0")).toBe("m");
  });
});
