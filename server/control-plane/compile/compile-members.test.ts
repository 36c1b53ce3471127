import { describe, expect, it } from "vitest";
import type { ConfigDiagnostic } from "./diagnostic";
import { compileMembers } from "./compile-members";
import { memberRow, validRows } from "./test-rows";

const compile = (rows = validRows()) => {
  const diagnostics: ConfigDiagnostic[] = [];
  return { members: compileMembers(rows, (d) => diagnostics.push(d)), diagnostics };
};

describe("compileMembers", () => {
  it("groups backend servers by group, in id order", () => {
    const { members, diagnostics } = compile();
    expect(diagnostics).toEqual([]);
    expect(members.get("p-http")).toEqual([
      { id: "m-1", name: "member-m-1", address: "127.0.0.1", port: 9001, weight: 3 },
      { id: "m-2", name: "member-m-2", address: "127.0.0.2", port: 9002, weight: 0 },
    ]);
  });

  it("leaves out a backend server with an invalid address, port or weight; the rest of its group compiles", () => {
    const rows = validRows();
    rows.members.push(
      memberRow("m-addr", "p-http", { name: "bad-address", address: "300.1.1.1" }),
      memberRow("m-port", "p-http", { name: "bad-port", port: 0 }),
      memberRow("m-weight", "p-http", { name: "bad-weight", weight: 101 }),
    );
    const { members, diagnostics } = compile(rows);
    expect(members.get("p-http")!.map((m) => m.id)).toEqual(["m-1", "m-2"]);
    expect(diagnostics.map((d) => [d.kind, d.id, d.name, d.message])).toEqual([
      ["member", "m-addr", "bad-address", 'its address "300.1.1.1" is not an IP address; the backend server is left out of the engine\'s configuration'],
      ["member", "m-port", "bad-port", "its port 0 is not between 1 and 65535; the backend server is left out of the engine's configuration"],
      ["member", "m-weight", "bad-weight", "its weight 101 is not between 0 and 100; the backend server is left out of the engine's configuration"],
    ]);
  });

  it("reports a backend server of a group that does not exist", () => {
    const rows = validRows();
    rows.members.push(memberRow("m-orphan", "p-gone"));
    const { members, diagnostics } = compile(rows);
    expect(members.has("p-gone")).toBe(false);
    expect(diagnostics).toEqual([expect.objectContaining({ id: "m-orphan", message: expect.stringMatching(/^its backend server group p-gone does not exist/) })]);
  });
});
