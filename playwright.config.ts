import { defineConfig } from "@playwright/test";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** Port, data folder and administrator password of the console the browser tests drive. */
const port = Number(process.env.ELB_E2E_PORT ?? 3100);
const dataDir = process.env.ELB_E2E_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), "elb-e2e-"));
process.env.ELB_E2E_DATA_DIR = dataDir;
export const E2E_ADMIN_PASSWORD = "e2e-admin-password";

const chromium = "/usr/bin/chromium";
const launchOptions = existsSync(chromium)
  ? {
      executablePath: chromium,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }
  : {};

/** Browser tests: the built console (and its engine) on a fresh embedded database; Debian's Chromium when present. */
export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
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
    env: { PORT: String(port), ELB_DATA_DIR: dataDir, ELB_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD, DATABASE_URL: "", ELB_ENGINE_STOP_WITH_CONSOLE: "1" },
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    stdout: "pipe",
    stderr: "pipe",
  },
});
