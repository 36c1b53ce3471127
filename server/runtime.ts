import "server-only";
import type { DatabaseConnection } from "@/db/client";
import { openDatabase } from "@/db/client";
import { seedDefaults } from "./bootstrap/seed";

/**
 * The console's process-wide state: one database connection (PGlite may be opened by one process only,
 * and Next.js loads route bundles separately, so it lives on globalThis).
 */
interface ConsoleRuntime {
  connection: Promise<DatabaseConnection>;
}

const globalForRuntime = globalThis as unknown as { __elbRuntime?: ConsoleRuntime };

async function connect(): Promise<DatabaseConnection> {
  const connection = await openDatabase();
  const seeded = await seedDefaults(connection.db, { adminPassword: process.env.ELB_ADMIN_PASSWORD });
  if (seeded.generatedAdminPassword) {
    console.log(`[elb] First start: administrator "admin" created with password: ${seeded.generatedAdminPassword}`);
    console.log("[elb] This password is printed once; set ELB_ADMIN_PASSWORD to choose your own.");
  }
  return connection;
}

/** The database connection, opened, migrated and seeded on first use. */
export function getConnection(): Promise<DatabaseConnection> {
  globalForRuntime.__elbRuntime ??= { connection: connect() };
  return globalForRuntime.__elbRuntime.connection;
}

/** Shortcut for the Drizzle handle. */
export async function getDb() {
  return (await getConnection()).db;
}
