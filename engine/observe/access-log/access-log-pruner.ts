import { readdir, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { accessLogRoot, parseAccessLogFileName } from "../../protocol/access-log-files";
import type { SnapshotAccessLogGroup, SnapshotListener } from "../../protocol/snapshot.types";
import { compressFile } from "./compress-file";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A plain file whose hour ended this long ago is finished (its worker would have compressed it): compress it. */
const STALE_PLAIN_MS = 10 * 60_000;

/** Retention of one log group (the snapshot's `accessLogGroups`, else the `accessLog` of its listeners). */
export interface GroupRetention {
  groupId: string;
  /** Files whose hour ended more than this many days ago are deleted. */
  retentionDays: number;
  /** The group's files are trimmed, oldest hour first, until they take no more than this. */
  maxBytes: number;
}

/** What one pass did (tests and logs). */
export interface PruneResult {
  deleted: string[];
  compressed: string[];
  /** Folders of log groups that no longer exist, deleted whole (`removeUnlisted`). */
  removedGroups: string[];
}

/**
 * The retention of every log group: each of `accessLogGroups` (the snapshot's list of every group that
 * exists, logged into or not) and any group a listener writes to that the list lacks; without the list,
 * the groups the listeners write to (the first listener's settings win).
 */
export function groupRetentions(listeners: readonly SnapshotListener[], accessLogGroups?: readonly SnapshotAccessLogGroup[]): GroupRetention[] {
  const groups = new Map<string, GroupRetention>();
  for (const g of accessLogGroups ?? []) groups.set(g.groupId, { groupId: g.groupId, retentionDays: g.retentionDays, maxBytes: g.maxBytes });
  for (const listener of listeners) {
    const log = listener.accessLog;
    if (!log || groups.has(log.groupId)) continue;
    groups.set(log.groupId, { groupId: log.groupId, retentionDays: log.retentionDays, maxBytes: log.maxBytes });
  }
  return [...groups.values()];
}

interface FileEntry {
  path: string;
  hourStartMs: number;
  compressed: boolean;
  bytes: number;
}

/**
 * One retention pass over `<stateDir>/access-logs/`, run by the engine's primary (once a minute and
 * after each snapshot): for each group in `groups`, files whose hour ended more than `retentionDays`
 * ago are deleted; then, while the group's files take more than `maxBytes`, its oldest finished files
 * are deleted (an hour still being written is never deleted). Plain files of hours long over (left by
 * a worker that stopped before it compressed them) are compressed first. Folders of groups not in
 * `groups` are left alone — unless `removeUnlisted` (the snapshot lists every group that exists): then
 * such a folder is a deleted group's and is deleted whole, once it is quiet (`removeUnlistedGroup`).
 */
export async function pruneAccessLogs(stateDir: string, groups: readonly GroupRetention[], now = Date.now(), removeUnlisted = false): Promise<PruneResult> {
  const result: PruneResult = { deleted: [], compressed: [], removedGroups: [] };
  if (removeUnlisted) {
    const listed = new Set(groups.map((g) => g.groupId));
    const root = accessLogRoot(stateDir);
    for (const entry of await readdir(root, { withFileTypes: true }).catch(() => [])) {
      if (!entry.isDirectory() || listed.has(entry.name)) continue;
      const folder = path.join(root, entry.name);
      if (await removeUnlistedGroup(folder, now)) result.removedGroups.push(folder);
    }
  }
  for (const group of groups) {
    const files = await groupFiles(path.join(accessLogRoot(stateDir), group.groupId));
    const kept: FileEntry[] = [];
    const oldestKept = now - group.retentionDays * DAY_MS;
    for (const file of files) {
      if (file.hourStartMs + HOUR_MS <= oldestKept) {
        if (await remove(file.path)) result.deleted.push(file.path);
        continue;
      }
      if (!file.compressed && file.hourStartMs + HOUR_MS + STALE_PLAIN_MS <= now && (await compressFile(file.path))) {
        result.compressed.push(file.path);
        const gz = `${file.path}.gz`;
        const size = await stat(gz).then((s) => s.size, () => 0);
        kept.push({ path: gz, hourStartMs: file.hourStartMs, compressed: true, bytes: size });
        continue;
      }
      kept.push(file);
    }
    let total = kept.reduce((sum, f) => sum + f.bytes, 0);
    const currentHour = now - (now % HOUR_MS);
    kept.sort((a, b) => a.hourStartMs - b.hourStartMs);
    for (const file of kept) {
      if (total <= group.maxBytes) break;
      if (file.hourStartMs >= currentHour) break; // the hour being written stays
      if (await remove(file.path)) {
        result.deleted.push(file.path);
        total -= file.bytes;
      }
    }
  }
  return result;
}

/**
 * Deletes the folder of a group the snapshot no longer lists, unless it is still in use: a file of an
 * hour that ended less than 10 minutes ago, or a folder (the group's, a stream's) changed in the last
 * 10 minutes, keeps it for a later pass — a worker that got a newer snapshot than this pass's (a group
 * just created) may have just made it. True when it was deleted.
 */
async function removeUnlistedGroup(groupFolder: string, now: number): Promise<boolean> {
  const quietSince = now - STALE_PLAIN_MS;
  const changedAt = (folder: string) => stat(folder).then((s) => s.mtimeMs, () => Infinity);
  if ((await changedAt(groupFolder)) > quietSince) return false;
  for (const stream of await readdir(groupFolder, { withFileTypes: true }).catch(() => [])) {
    if (stream.isDirectory() && (await changedAt(path.join(groupFolder, stream.name))) > quietSince) return false;
  }
  for (const file of await groupFiles(groupFolder)) if (file.hourStartMs + HOUR_MS + STALE_PLAIN_MS > now) return false;
  return rm(groupFolder, { recursive: true, force: true }).then(
    () => true,
    () => false,
  );
}

/** Every engine-written file of a group (all its streams), with its size. */
async function groupFiles(groupFolder: string): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  const streams = await readdir(groupFolder, { withFileTypes: true }).catch(() => []);
  for (const stream of streams) {
    if (!stream.isDirectory()) continue;
    const folder = path.join(groupFolder, stream.name);
    for (const name of await readdir(folder).catch(() => [] as string[])) {
      const parsed = parseAccessLogFileName(name);
      if (parsed === null) continue;
      const full = path.join(folder, name);
      const size = await stat(full).then((s) => s.size, () => -1);
      if (size >= 0) out.push({ path: full, hourStartMs: parsed.hourStartMs, compressed: parsed.compressed, bytes: size });
    }
  }
  return out;
}

async function remove(file: string): Promise<boolean> {
  return unlink(file).then(
    () => true,
    () => false,
  );
}

/**
 * Runs `pruneAccessLogs` once a minute and after each snapshot (`retain`), one pass at a time (a pass
 * asked for while one runs is run once after it). Owned by the engine's primary.
 */
export class AccessLogPruner {
  private groups: GroupRetention[] = [];
  /** The snapshot listed every log group: folders of the others are deleted groups'. */
  private removeUnlisted = false;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly stateDir: string,
    private readonly intervalMs = 60_000,
  ) {}

  /** Starts the once-a-minute passes. */
  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  /**
   * A snapshot was applied: its groups' retention is used from now on (`accessLogGroups`: every group
   * that exists; absent: those its listeners write to, and no folder is deleted), and a pass runs now.
   */
  retain(listeners: readonly SnapshotListener[], accessLogGroups?: readonly SnapshotAccessLogGroup[]): Promise<void> {
    this.groups = groupRetentions(listeners, accessLogGroups);
    this.removeUnlisted = accessLogGroups !== undefined;
    return this.run();
  }

  /** One pass now (or once more after the one running). */
  run(): Promise<void> {
    if (this.running !== null) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await pruneAccessLogs(this.stateDir, this.groups, Date.now(), this.removeUnlisted).catch(() => {});
      } while (this.again);
      this.running = null;
    })();
    return this.running;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
