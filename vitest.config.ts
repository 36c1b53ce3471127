import { defineConfig } from "vitest/config";
import path from "node:path";

/** Unit, service and engine tests: `*.test.ts` beside the code. e2e/ belongs to Playwright. */
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", ".next/**", "dist/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
