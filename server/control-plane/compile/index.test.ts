import { describe, expect, it } from "vitest";
import { compileSnapshot } from "./index";
import { listenerRow, validRows } from "./test-rows";

// Hash of validRows() as compiled by the single-function compiler before the split (compile-snapshot.ts):
// valid rows must keep compiling to the same bytes, or every engine would see a change that is none.
const HASH_BEFORE_SPLIT = "18e1bc8ed077da3ec80e1cc37f67f90f7f0d3e92392162dc274b29e7546241b8";
const HASH_BEFORE_SPLIT_WITHOUT_EIPS = "f93de435c8082a9d7707c2eb4111607794c235196769aa8c957f98cb811dee4b";

describe("compileSnapshot", () => {
  it("compiles valid rows to the same bytes as before the split, with no diagnostics", () => {
    const { snapshot, diagnostics } = compileSnapshot(validRows(), 3, "epoch-1", new Date("2024-05-06T07:08:09.000Z"));
    expect(diagnostics).toEqual([]);
    expect(snapshot).toMatchObject({ epoch: "epoch-1", version: 3, createdAt: "2024-05-06T07:08:09.000Z", hash: HASH_BEFORE_SPLIT });
    expect(snapshot.listeners.map((l) => l.id)).toEqual(["l-bare", "l-http", "l-udp"]);
    const withoutEips = { ...validRows(), eips: [] };
    expect(compileSnapshot(withoutEips, 1, "e").snapshot.hash).toBe(HASH_BEFORE_SPLIT_WITHOUT_EIPS);
  });

  it("a listener whose load balancer is missing produces a diagnostic; the others still compile", () => {
    const rows = validRows();
    rows.listeners.push(listenerRow("l-orphan", "lb-gone", { name: "orphan", port: 7000 }));
    const { snapshot, diagnostics } = compileSnapshot(rows, 1, "e");
    expect(diagnostics).toEqual([
      { kind: "listener", id: "l-orphan", name: "orphan", message: "its load balancer lb-gone does not exist; the listener is left out of the engine's configuration" },
    ]);
    expect(snapshot.listeners.map((l) => l.id)).toEqual(["l-bare", "l-http", "l-udp"]);
    expect(snapshot.hash).toBe(HASH_BEFORE_SPLIT);
  });

  it("reports every bad object of every kind, sorted by kind and id", () => {
    const rows = validRows();
    rows.loadBalancers = rows.loadBalancers.filter((lb) => lb.id !== "lb-b"); // its listener, group and (bound) nothing else
    rows.members[0]!.address = "not-an-ip";
    const { snapshot, diagnostics } = compileSnapshot(rows, 1, "e");
    expect(diagnostics.map((d) => `${d.kind}:${d.id}`)).toEqual(["listener:l-udp", "member:m-2", "pool:p-udp"]);
    expect(snapshot.listeners.map((l) => l.id)).toEqual(["l-bare", "l-http"]);
    expect(snapshot.pools.map((p) => [p.id, p.members.map((m) => m.id)])).toEqual([["p-http", ["m-1"]]]);
  });
});
