import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { summarize, type RunnerReport } from "./test-summary";

/** A Vitest JSON report (the fields Vitest writes) of one file with the given tests. */
function vitest(tests: { name: string; status: "passed" | "failed" | "skipped"; errors?: number }[], file: { status?: string; message?: string } = {}) {
  const count = (status: string) => tests.filter((t) => t.status === status).length;
  return {
    numPassedTests: count("passed"),
    numFailedTests: count("failed"),
    numPendingTests: count("skipped"),
    numTodoTests: 0,
    testResults: [
      {
        name: path.join(process.cwd(), "server/x.test.ts"),
        status: file.status ?? (count("failed") ? "failed" : "passed"),
        message: file.message ?? "",
        assertionResults: tests.map((t) => ({ fullName: t.name, status: t.status, failureMessages: Array.from({ length: t.errors ?? (t.status === "failed" ? 1 : 0) }, () => "AssertionError") })),
      },
    ],
  };
}

/** A Playwright JSON report with one file of the given tests (status as Playwright reports it). */
function playwright(tests: { title: string; status: "expected" | "unexpected" | "flaky" | "skipped" }[], errors: string[] = []) {
  const count = (status: string) => tests.filter((t) => t.status === status).length;
  return {
    stats: { expected: count("expected"), unexpected: count("unexpected"), flaky: count("flaky"), skipped: count("skipped") },
    errors: errors.map((message) => ({ message })),
    suites: [{ title: "console/a.spec.ts", specs: [], suites: [{ title: "group", specs: tests.map((t) => ({ title: t.title, file: "console/a.spec.ts", tests: [{ status: t.status, projectName: "console" }] })) }] }],
  };
}

const run = (name: string, kind: RunnerReport["kind"], report: unknown, exitCode = 0): RunnerReport => ({ name, kind, report, exitCode });

describe("the closing line of npm test", () => {
  it("counts a test that passed only on a retry as flaky, not as a pass, and lists it by name; the run still passes", () => {
    const summary = summarize([
      run("vitest", "vitest", vitest([{ name: "ok", status: "passed" }, { name: "suite retried", status: "passed", errors: 1 }, { name: "later", status: "skipped" }])),
      run("playwright", "playwright", playwright([{ title: "fine", status: "expected" }, { title: "shaky", status: "flaky" }])),
    ]);
    expect(summary.line).toBe("2 passed, 2 flaky, 0 failed, 1 skipped");
    expect(summary.flaky).toEqual(["vitest: server/x.test.ts > suite retried", "playwright: console/a.spec.ts > group > shaky [console]"]);
    expect(summary.ok).toBe(true);
  });

  it("fails the run on a failed test, and sums every runner", () => {
    const summary = summarize([
      run("vitest", "vitest", vitest([{ name: "a", status: "passed" }, { name: "b", status: "failed" }]), 1),
      run("vitest-pg", "vitest", vitest([{ name: "a", status: "passed" }])),
      run("playwright", "playwright", playwright([{ title: "bad", status: "unexpected" }]), 1),
    ]);
    expect(summary.line).toBe("2 passed, 0 flaky, 2 failed, 0 skipped");
    expect(summary.ok).toBe(false);
  });

  it("fails the run on errors outside tests: a refused .only, a file that did not load, a missing report, a non-zero exit", () => {
    const focused = summarize([run("playwright", "playwright", playwright([], ["Error: item focused with '.only' is not allowed due to the 'forbidOnly' option"]), 1)]);
    expect(focused).toMatchObject({ ok: false, failed: 0, problems: [expect.stringContaining("forbidOnly")] });
    const broken = summarize([run("vitest", "vitest", vitest([], { status: "failed", message: "Failed to load url ./gone" }), 1)]);
    expect(broken).toMatchObject({ ok: false, problems: [expect.stringContaining("failed outside its tests: Failed to load url ./gone")] });
    expect(summarize([run("vitest-pg", "vitest", null, 1)])).toMatchObject({ ok: false, problems: ["vitest-pg: no report (the runner did not finish)"] });
    expect(summarize([run("vitest", "vitest", vitest([{ name: "a", status: "passed" }]), 1)])).toMatchObject({ ok: false, problems: ["vitest: exited with code 1"] });
  });

  it("as a script: prints the flaky names and the line, exits 0 for flaky only and 1 for a failure", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "elb-summary-"));
    try {
      writeFileSync(path.join(dir, "vitest.json"), JSON.stringify(vitest([{ name: "retried", status: "passed", errors: 1 }])));
      writeFileSync(path.join(dir, "playwright.json"), JSON.stringify(playwright([{ title: "fine", status: "expected" }])));
      const script = path.resolve("scripts/test-summary.ts");
      const tsx = path.resolve("node_modules/.bin/tsx");
      const out = execFileSync(tsx, [script, dir, "vitest=0", "playwright=0"], { encoding: "utf8" });
      expect(out).toContain("[test] flaky (passed on retry): vitest: server/x.test.ts > retried");
      expect(out.trim().split("\n").at(-1)).toBe("1 passed, 1 flaky, 0 failed, 0 skipped");
      let status = 0;
      try {
        execFileSync(tsx, [script, dir, "vitest=0", "playwright=0", "vitest-pg=1"], { encoding: "utf8" });
      } catch (error) {
        status = (error as { status: number }).status;
      }
      expect(status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
