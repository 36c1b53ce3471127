import { defineConfig } from "vitest/config";
import os from "node:os";
import path from "node:path";

/** Unit, service and engine tests: `*.test.ts` beside the code. e2e/ belongs to Playwright. */
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // `import "server-only"` throws outside a react-server bundle; tests run server code in plain Node.
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", ".next/**", "dist/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // At least two files at once, even on 2 cores (vitest's default there is one): most files wait on real
    // sockets, timers and child processes, so a second worker nearly halves the run (16 → 7 min here).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    // Real sockets and timers on a shared 2-core box: one retry in CI absorbs scheduling hiccups, never a real bug twice.
    // A test that needed it is reported as flaky by name in the closing line of `npm test` (scripts/test-summary.ts).
    retry: process.env.CI ? 1 : 0,
    // A focused test (`it.only`, `describe.only`) fails the run everywhere, not only in CI: it would silently skip the rest.
    allowOnly: false,
  },
});
