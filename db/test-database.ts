import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash, randomBytes } from "node:crypto";
import * as schema from "./schema";
import { MIGRATIONS_FOLDER, openDatabase, type Database, type DatabaseConnection } from "./client";

/**
 * A fresh, migrated database for one test file: an in-memory PGlite loaded from a migrated template, or —
 * when `DATABASE_URL` is set — a new database created on that PostgreSQL server (dropped again by `close`).
 */
export async function createTestDatabase(): Promise<DatabaseConnection> {
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl) return createPostgresTestDatabase(adminUrl);
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const client = await PGlite.create({ loadDataDir: await migratedTemplate() });
  const db = drizzle(client, { schema });
  return { db: db as unknown as Database, kind: "pglite", close: () => client.close() };
}

async function createPostgresTestDatabase(adminUrl: string): Promise<DatabaseConnection> {
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

/**
 * PGlite's data directory with every migration applied, as its tar dump. initdb plus the migrations cost
 * ~3.5 s of CPU per database, loading the dump ~0.8 s. Built once per machine for this set of migrations and
 * PGlite version (the file name carries their hash) by the first test file that needs it, written to a
 * temporary name and renamed into place, so parallel workers never read half a file.
 */
async function migratedTemplate(): Promise<Blob> {
  const file = path.join(os.tmpdir(), `elb-pglite-template-${templateKey()}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const client = await PGlite.create();
  await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
  const dump = await client.dumpDataDir("none");
  await client.close();
  const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
  renameSync(partial, file);
  return dump;
}

/** Hash of the PGlite version and every migration file: a new migration or PGlite makes a new template. */
function templateKey(): string {
  const hash = createHash("sha256");
  hash.update(JSON.parse(readFileSync(path.join(process.cwd(), "node_modules/@electric-sql/pglite/package.json"), "utf8")).version);
  for (const name of readdirSync(MIGRATIONS_FOLDER, { recursive: true }).map(String).sort()) {
    if (name.endsWith(".sql") || name.endsWith(".json")) hash.update(name).update(readFileSync(path.join(MIGRATIONS_FOLDER, name)));
  }
  return hash.digest("hex").slice(0, 16);
}
