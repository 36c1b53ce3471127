import { defineConfig } from "drizzle-kit";

/** drizzle-kit: one pg-core schema, one migration folder (`npm run db:generate`). */
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
});
