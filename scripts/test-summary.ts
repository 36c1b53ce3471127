// The closing line of `npm test` (scripts/test.sh): one count over every runner's JSON report.
//
//   npx tsx scripts/test-summary.ts <results dir> <runner>=<exit code> ...
//
// A test that failed and then passed on a retry (CI runs allow one) is FLAKY: counted apart from the
// plain passes and listed by name, and it does not fail the run. A failed test, a test file or runner
// that failed outside any test (an import error, a focused `.only` refused by allowOnly/forbidOnly, a
// web server that did not start), a missing report or a runner's non-zero exit code fails the run.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** The parts of Vitest's JSON report (jest-compatible) read here. */
interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
  testResults: { name: string; status: string; message: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}

/** The parts of Playwright's JSON report read here. */
interface PlaywrightSuite {
  title: string;
  suites?: PlaywrightSuite[];
  specs?: { title: string; file: string; tests: { status: string; projectName: string }[] }[];
}
interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  errors?: { message?: string }[];
  suites?: PlaywrightSuite[];
}

/** One runner's report: `file` in the results folder, read as `kind`. */
export interface RunnerReport {
  name: string;
  kind: "vitest" | "playwright";
  report: unknown;
  exitCode: number;
}

export interface Summary {
  passed: number;
  flaky: string[];
  failed: number;
  skipped: number;
  /** Why the run fails besides failed tests (no report, errors outside tests, a non-zero exit). */
  problems: string[];
  line: string;
  ok: boolean;
}

const relative = (file: string) => path.relative(process.cwd(), file) || file;

function vitestCounts(name: string, report: VitestReport, out: Summary): void {
  let flaky = 0;
  for (const file of report.testResults) {
    let failedHere = 0;
    for (const test of file.assertionResults) {
      if (test.status === "failed") failedHere++;
      // Vitest keeps the errors of failed attempts on a test that passed on a retry.
      if (test.status === "passed" && test.failureMessages.length > 0) {
        flaky++;
        out.flaky.push(`${name}: ${relative(file.name)} > ${test.fullName}`);
      }
    }
    if (file.status === "failed" && failedHere === 0) out.problems.push(`${name}: ${relative(file.name)} failed outside its tests: ${file.message || "(no message)"}`);
  }
  out.passed += report.numPassedTests - flaky;
  out.failed += report.numFailedTests;
  out.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}

function playwrightFlaky(suite: PlaywrightSuite, titles: string[], out: string[]): void {
  const here = suite.title ? [...titles, suite.title] : titles;
  for (const spec of suite.specs ?? [])
    for (const test of spec.tests) if (test.status === "flaky") out.push(`playwright: ${[...here, spec.title].join(" > ")}${test.projectName ? ` [${test.projectName}]` : ""}`);
  for (const child of suite.suites ?? []) playwrightFlaky(child, here, out);
}

function playwrightCounts(name: string, report: PlaywrightReport, out: Summary): void {
  const { stats } = report;
  out.passed += stats.expected;
  out.failed += stats.unexpected;
  out.skipped += stats.skipped;
  const flaky: string[] = [];
  for (const suite of report.suites ?? []) playwrightFlaky(suite, [], flaky);
  // The names come from the suites; the count from the stats, whichever is larger (never lose one).
  while (flaky.length < stats.flaky) flaky.push(`${name}: (unnamed flaky test)`);
  out.flaky.push(...flaky);
  for (const error of report.errors ?? []) out.problems.push(`${name}: ${(error.message ?? "error outside any test").split("\n")[0]}`);
}

/** Adds up the runners' reports into the closing line. */
export function summarize(runners: RunnerReport[]): Summary {
  const out: Summary = { passed: 0, flaky: [], failed: 0, skipped: 0, problems: [], line: "", ok: false };
  for (const runner of runners) {
    const before = out.failed + out.problems.length;
    if (runner.report === null || typeof runner.report !== "object") out.problems.push(`${runner.name}: no report (the runner did not finish)`);
    else if (runner.kind === "vitest") vitestCounts(runner.name, runner.report as VitestReport, out);
    else playwrightCounts(runner.name, runner.report as PlaywrightReport, out);
    // A runner that exited non-zero although its report shows no failure still fails the run.
    if (runner.exitCode !== 0 && out.failed + out.problems.length === before) out.problems.push(`${runner.name}: exited with code ${runner.exitCode}`);
  }
  out.ok = out.failed === 0 && out.problems.length === 0;
  out.line = `${out.passed} passed, ${out.flaky.length} flaky, ${out.failed} failed, ${out.skipped} skipped`;
  return out;
}

/** Reads `<dir>/<name>.json` for each `name=exitCode` argument (names starting with "playwright" are Playwright's). */
function main(argv: string[]): number {
  const [dir, ...steps] = argv;
  if (!dir || steps.length === 0) {
    console.error("usage: test-summary.ts <results dir> <runner>=<exit code> ...");
    return 2;
  }
  const runners: RunnerReport[] = steps.map((step) => {
    const [name = step, code = "1"] = step.split("=");
    const file = path.join(dir, `${name}.json`);
    let report: unknown = null;
    try {
      if (existsSync(file)) report = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      report = null;
    }
    return { name, kind: name.startsWith("playwright") ? "playwright" : "vitest", report, exitCode: Number(code) };
  });
  const summary = summarize(runners);
  for (const name of summary.flaky) console.log(`[test] flaky (passed on retry): ${name}`);
  for (const problem of summary.problems) console.log(`[test] FAILED: ${problem}`);
  console.log(summary.line);
  return summary.ok ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) process.exit(main(process.argv.slice(2)));
