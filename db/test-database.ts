import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { openDatabase, type DatabaseConnection } from "./client";

/**
 * A fresh, migrated database for one test file: PGlite in a temp folder, or — when `DATABASE_URL`
 * is set — a new database created on that PostgreSQL server (dropped again by `close`).
 */
export async function createTestDatabase(): Promise<DatabaseConnection> {
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl) {
    const { Client } = await import("pg");
    const name = `elb_test_${randomBytes(6).toString("hex")}`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const connection = await openDatabase({ databaseUrl: url.toString() });
    return {
      ...connection,
      async close() {
        await connection.close();
        const cleanup = new Client({ connectionString: adminUrl });
        await cleanup.connect();
        await cleanup.query(`DROP DATABASE IF EXISTS ${name}`);
        await cleanup.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "elb-test-db-"));
  const connection = await openDatabase({ dataDir: dir, databaseUrl: "" });
  return {
    ...connection,
    async close() {
      await connection.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
