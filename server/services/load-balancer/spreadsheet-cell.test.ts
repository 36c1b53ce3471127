import { describe, expect, it } from "vitest";
import { csvCell, neutralizeFormula } from "./spreadsheet-cell";

describe("formula escaping of exported cells (OWASP CSV injection)", () => {
  it.each(["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", " =1", "  +cmd", '"=1', "'=1", "＝1+1", "＋1", "－1", "＠SUM(A1)", " ＝1"])("%j is neutralized", (value) => {
    expect(neutralizeFormula(value)).toBe(`'${value}`);
  });
  it.each(["web-1", "127.10.0.5", "", "a=b", "Running"])("%j is kept", (value) => {
    expect(neutralizeFormula(value)).toBe(value);
  });
  it("quotes CSV cells after neutralizing", () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell("a,b")).toBe('"a,b"');
  });
});
