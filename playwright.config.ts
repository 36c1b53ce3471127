import { defineConfig } from "@playwright/test";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freeListenerPortSync } from "./e2e/fixtures/ports";

/**
 * Port, data folder and administrator password of the console the browser tests drive. The port is a free
 * one in 32768–60999 (checked by binding it), chosen once: this file is evaluated again in every worker,
 * which finds the runner's choice in the environment.
 */
process.env.ELB_E2E_PORT ??= String(freeListenerPortSync());
const port = Number(process.env.ELB_E2E_PORT);
const dataDir = process.env.ELB_E2E_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), "elb-e2e-"));
process.env.ELB_E2E_DATA_DIR = dataDir;
export const E2E_ADMIN_PASSWORD = "e2e-admin-password";

/** Debian's Chromium: the only browser the tests use (no Playwright download). Missing → stop at once, saying so. */
const chromium = process.env.ELB_E2E_CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  throw new Error(
    `Chromium not found at ${chromium}: the browser tests run Debian's Chromium. Install it (apt-get install chromium), ` +
      "run `npm test` (which installs it), or point ELB_E2E_CHROMIUM at a Chromium binary.",
  );
}
const launchOptions = {
  executablePath: chromium,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
};

/** Browser tests: the built console (and its engine) on a fresh embedded database, in Debian's Chromium. */
export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  // A focused test (`test.only`) fails the run at once, locally too: it would silently skip the rest.
  forbidOnly: true,
  // One retry in CI; a test that needed it is listed as flaky in the closing line of `npm test`.
  retries: process.env.CI ? 1 : 0,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions,
    trace: "retain-on-failure",
    acceptDownloads: true,
  },
  // Kills an engine that outlived the console (engines run detached; see e2e/global-teardown.ts).
  globalTeardown: "./e2e/global-teardown.ts",
  projects: [
    { name: "setup", testMatch: /global\.setup\.ts/ },
    { name: "console", dependencies: ["setup"], use: { storageState: path.join(dataDir, "admin-state.json") } },
  ],
  webServer: {
    command: "node scripts/start.mjs",
    url: `http://127.0.0.1:${port}/login`,
    timeout: 180_000,
    reuseExistingServer: false,
    // The engine stops with the console (SIGTERM below, or the console dying) instead of outliving the run.
    env: {
      PORT: String(port),
      ELB_DATA_DIR: dataDir,
      ELB_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      DATABASE_URL: "",
      ELB_ENGINE_STOP_WITH_CONSOLE: "1",
      // The engine's full health report (which carries passive ejection) every second instead of 10 s.
      ELB_ENGINE_HEALTH_REPORT_MS: "1000",
    },
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    stdout: "pipe",
    stderr: "pipe",
  },
});
