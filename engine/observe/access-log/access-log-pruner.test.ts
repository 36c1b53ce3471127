import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accessLogFileName, accessLogStreamFolder } from "../../protocol/access-log-files";
import type { SnapshotListener } from "../../protocol/snapshot.types";
import { AccessLogPruner, groupRetentions, pruneAccessLogs } from "./access-log-pruner";

/** Retention of the access-log files per log group (age, then size, oldest first) on a real folder tree. */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 11, 10, 12, 30); // 2026-12-10 12:30 UTC
const CURRENT = NOW - (NOW % HOUR);
let stateDir = "";

beforeEach(async () => {
  stateDir = await mkdtemp(path.join(os.tmpdir(), "elb-access-prune-"));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

/** Writes a file of `bytes` bytes for the hour starting `hourStart` in group/stream; returns its name. */
async function file(group: string, stream: string, hourStart: number, bytes: number, worker = 0, compressed = true): Promise<string> {
  const folder = accessLogStreamFolder(stateDir, group, stream);
  await mkdir(folder, { recursive: true });
  const name = accessLogFileName(hourStart, worker) + (compressed ? ".gz" : "");
  await writeFile(path.join(folder, name), "x".repeat(bytes));
  return name;
}

async function names(group: string, stream: string): Promise<string[]> {
  return (await readdir(accessLogStreamFolder(stateDir, group, stream)).catch(() => [] as string[])).sort();
}

describe("pruneAccessLogs", () => {
  it("deletes the files of hours that ended more than retentionDays ago, in every stream of the group", async () => {
    await file("g", "s1", CURRENT - 3 * DAY, 10);
    await file("g", "s2", CURRENT - 2 * DAY - HOUR, 10, 1);
    const edge = await file("g", "s1", CURRENT - 2 * DAY, 10); // ends 2 days − 1 h ago: kept
    const recent = await file("g", "s1", CURRENT - HOUR, 10);
    const other = await file("other", "s9", CURRENT - 30 * DAY, 10); // a group not listed: left alone
    await pruneAccessLogs(stateDir, [{ groupId: "g", retentionDays: 2, maxBytes: 1 << 30 }], NOW);
    expect(await names("g", "s1")).toEqual([edge, recent].sort());
    expect(await names("g", "s2")).toEqual([]);
    expect(await names("other", "s9")).toEqual([other]);
  });

  it("trims the group's oldest files beyond maxBytes and never the hour being written", async () => {
    await file("g", "s1", CURRENT - 5 * HOUR, 100);
    await file("g", "s2", CURRENT - 4 * HOUR, 100);
    const c = await file("g", "s1", CURRENT - 3 * HOUR, 100);
    const d = await file("g", "s2", CURRENT - 2 * HOUR, 100);
    const live = await file("g", "s1", CURRENT, 500, 0, false); // the current hour, plain, being written
    await pruneAccessLogs(stateDir, [{ groupId: "g", retentionDays: 30, maxBytes: 700 }], NOW);
    // 900 bytes → 700: the two oldest hours go (a, b); c, d and the live file stay.
    expect(await names("g", "s1")).toEqual([c, live].sort());
    expect(await names("g", "s2")).toEqual([d]);

    await pruneAccessLogs(stateDir, [{ groupId: "g", retentionDays: 30, maxBytes: 100 }], NOW);
    expect(await names("g", "s1")).toEqual([live]); // over the limit with the live hour alone: it is kept
    expect(await names("g", "s2")).toEqual([]);
  });

  it("compresses plain files of hours long over (a worker stopped before compressing)", async () => {
    const stale = await file("g", "s1", CURRENT - 2 * HOUR, 50, 0, false);
    const justOver = await file("g", "s1", CURRENT - HOUR, 50, 1, false); // ended 30 min ago: ≥ 10 min, compressed too
    const live = await file("g", "s1", CURRENT, 50, 0, false);
    const result = await pruneAccessLogs(stateDir, [{ groupId: "g", retentionDays: 30, maxBytes: 1 << 30 }], NOW);
    expect(result.compressed).toHaveLength(2);
    expect(await names("g", "s1")).toEqual([stale + ".gz", justOver + ".gz", live].sort());
    const folder = accessLogStreamFolder(stateDir, "g", "s1");
    expect(gunzipSync(await readFile(path.join(folder, stale + ".gz"))).toString()).toBe("x".repeat(50));
  });
});

describe("AccessLogPruner", () => {
  it("takes each group's retention from the snapshot's listeners and runs a pass after each one", async () => {
    const log = { streamId: "s1", groupId: "g", tenantId: "t", eipAddress: null, retentionDays: 1, maxBytes: 1 << 30, syslog: null };
    const l = { id: "l", name: "l", loadBalancerId: "lb", protocol: "HTTP", port: 80, bindAddresses: [], defaultPoolId: null, idleTimeoutSeconds: 60, accessLog: log } as SnapshotListener;
    expect(groupRetentions([l, { ...l, id: "l2" }, { ...l, accessLog: null }])).toEqual([{ groupId: "g", retentionDays: 1, maxBytes: 1 << 30 }]);
    const now = Date.now();
    const hour = now - (now % HOUR);
    await file("g", "s1", hour - 3 * DAY, 10);
    const kept = await file("g", "s1", hour - HOUR, 10);
    const pruner = new AccessLogPruner(stateDir);
    await pruner.retain([l]);
    expect(await names("g", "s1")).toEqual([kept]);
  });
});

/** Sets the modification time of a group's folder and its stream folders to `ms` (as a quiet folder of a past hour). */
async function quiet(group: string, ms: number): Promise<void> {
  const folder = path.join(stateDir, "access-logs", group);
  for (const stream of await readdir(folder)) await utimes(path.join(folder, stream), ms / 1000, ms / 1000);
  await utimes(folder, ms / 1000, ms / 1000);
}

describe("retention of every log group, logged into or not (the snapshot's accessLogGroups)", () => {
  const now = Date.now();
  const hour = now - (now % HOUR);

  it("prunes a group no listener logs into any more by age and by size", async () => {
    await file("idle", "s1", hour - 3 * DAY, 10);
    await file("idle", "s1", hour - 3 * HOUR, 100);
    const kept = await file("idle", "s1", hour - 2 * HOUR, 100);
    const pruner = new AccessLogPruner(stateDir);
    // Configure Access Log disabled: no listener has accessLog, the group is still listed.
    await pruner.retain([], [{ groupId: "idle", retentionDays: 1, maxBytes: 150 }]);
    expect(await names("idle", "s1")).toEqual([kept]);
  });

  it("deletes the folder of a group no longer listed (deleted), once it is quiet; a listed group's folder stays", async () => {
    await file("gone", "s1", hour - 3 * HOUR, 10);
    await file("gone", "s2", hour - 2 * HOUR, 10, 1);
    await quiet("gone", now - HOUR);
    const live = await file("listed", "s1", hour - HOUR, 10);
    await quiet("listed", now - HOUR);
    await file("busy", "s1", hour, 10, 0, false); // unlisted but written this hour (a worker with a newer snapshot): kept for now
    await quiet("busy", now - HOUR);
    await mkdir(accessLogStreamFolder(stateDir, "just-made", "s1"), { recursive: true }); // no file yet, folder made just now: kept
    const pruner = new AccessLogPruner(stateDir);
    await pruner.retain([], [{ groupId: "listed", retentionDays: 7, maxBytes: 1 << 30 }]);
    expect(existsSync(path.join(stateDir, "access-logs", "gone"))).toBe(false);
    expect(await names("listed", "s1")).toEqual([live]);
    expect(await names("busy", "s1")).toHaveLength(1);
    expect(existsSync(accessLogStreamFolder(stateDir, "just-made", "s1"))).toBe(true);
    const result = await pruneAccessLogs(stateDir, [], hour + 2 * HOUR, true); // two hours on, nothing listed: both quiet now
    expect(result.removedGroups.map((f) => path.basename(f)).sort()).toEqual(["busy", "just-made", "listed"]);
  });

  it("without the list (a snapshot file, an older console) leaves every folder of a group no listener logs into alone", async () => {
    const old = await file("unknown", "s1", hour - 30 * DAY, 10);
    await quiet("unknown", now - DAY);
    const pruner = new AccessLogPruner(stateDir);
    await pruner.retain([]);
    expect(await names("unknown", "s1")).toEqual([old]);
    expect((await pruneAccessLogs(stateDir, [], now)).removedGroups).toEqual([]);
  });
});
