import { afterAll, describe, expect, it } from "vitest";
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "./client";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Every path under `dir` (itself included) with its permission bits. */
function modesUnder(dir: string): { path: string; dir: boolean; mode: number }[] {
  const stat = statSync(dir);
  const here = { path: dir, dir: stat.isDirectory(), mode: stat.mode & 0o777 };
  if (!here.dir) return [here];
  return [here, ...readdirSync(dir).flatMap((name) => modesUnder(path.join(dir, name)))];
}

/** Opens, writes and closes an embedded database in `dataDir`; returns the modes of everything under it. */
async function openWriteClose(dataDir: string) {
  const connection = await openDatabase({ dataDir, databaseUrl: "" });
  for (const statement of ["create table if not exists mode_probe (n int)", "insert into mode_probe values (1)", "checkpoint"]) await connection.db.execute(statement);
  await connection.close();
  return modesUnder(dataDir);
}

describe("embedded database file modes", () => {
  it("makes the data directory and every folder under it 0700 and every file 0600 (secrets live there)", { timeout: 60_000 }, async () => {
    const previous = process.umask(0o000); // the loosest start: what made the files 0666
    try {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "elb-modes-"));
      made.push(dataDir);
      const entries = await openWriteClose(dataDir);
      expect(entries.length).toBeGreaterThan(10);
      expect(entries.filter((e) => e.dir && e.mode !== 0o700).map((e) => `${e.path} ${e.mode.toString(8)}`)).toEqual([]);
      expect(entries.filter((e) => !e.dir && e.mode !== 0o600).map((e) => `${e.path} ${e.mode.toString(8)}`)).toEqual([]);
    } finally {
      process.umask(previous);
    }
  });

  it("tightens a data directory that an older version left world-readable", { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "elb-modes-"));
    made.push(dataDir);
    await openWriteClose(dataDir);
    for (const entry of modesUnder(dataDir)) chmodSync(entry.path, entry.dir ? 0o777 : 0o666);
    const entries = await openWriteClose(dataDir);
    expect(entries.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600)).map((e) => `${e.path} ${e.mode.toString(8)}`)).toEqual([]);
  });
});
