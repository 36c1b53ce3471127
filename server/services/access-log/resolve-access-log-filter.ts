import "server-only";
import { isIP } from "node:net";
import path from "node:path";
import { accessLogStreamFolder } from "@/engine/protocol/access-log-files";
import { AppError } from "../../errors";
import type { ServiceContext } from "../context";
import type { AccessLogFilter } from "../../access-logs/access-log-filter";
import { parseStatusFilter } from "../../access-logs/status-filter";
import { engineStateDir } from "../../access-logs/engine-state-dir";
import type { accessLogFiltersSchema } from "./access-log.schemas";
import { getAccessLogView, type AccessLogView } from "./access-log-view";
import type { z } from "zod";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A search's folder and compiled filter, and the settings it was resolved against. */
export interface ResolvedAccessLogSearch {
  view: AccessLogView;
  /** The stream's folder, or null when the load balancer never had a log stream selected. */
  folder: string | null;
  filter: AccessLogFilter;
}

/**
 * Turns the tab's filters into a file search: the load balancer's log stream (the one selected, even
 * while logging is off: its records stay searchable), the time range (default the last hour; it may
 * reach back at most the log group's retention), the parsed status, client IP and path conditions, and
 * this load balancer's lb_name (load balancers may share a stream: each sees only its own records).
 * Refusals name the field and the allowed range.
 */
export async function resolveAccessLogSearch(
  ctx: ServiceContext,
  input: z.output<typeof accessLogFiltersSchema>,
  opts: { now?: number; stateDir?: string } = {},
): Promise<ResolvedAccessLogSearch> {
  const view = await getAccessLogView(ctx.db, ctx.scope, input.loadBalancerId);
  if (!view) throw new AppError("NOT_FOUND", "Load balancer not found", "loadBalancerId");
  const now = opts.now ?? Date.now();
  const toMs = input.to ?? now;
  const fromMs = input.from ?? toMs - HOUR_MS;
  if (fromMs > toMs) throw new AppError("BAD_REQUEST", "From: must be before To", "from");
  const retentionDays = view.logGroup?.retentionDays ?? 7;
  const earliest = now - retentionDays * DAY_MS;
  if (fromMs < earliest)
    throw new AppError("BAD_REQUEST", `From: can be at most ${retentionDays} day${retentionDays > 1 ? "s" : ""} ago (the log group's retention), not before ${new Date(earliest).toISOString()}`, "from");
  const filter: AccessLogFilter = { fromMs, toMs, lbName: `loadbalancer_${view.id}` };
  if (input.status) {
    const parsed = parseStatusFilter(input.status);
    if (!parsed.ok) throw new AppError("BAD_REQUEST", parsed.message, "status");
    filter.status = parsed.filter;
  }
  if (input.clientIp) {
    if (!isIP(input.clientIp)) throw new AppError("BAD_REQUEST", "Client IP: enter an IPv4 or IPv6 address", "clientIp");
    filter.clientIp = input.clientIp;
  }
  if (input.path) {
    if (!input.path.startsWith("/")) throw new AppError("BAD_REQUEST", "Path: must start with a slash (/)", "path");
    filter.pathPrefix = input.path;
  }
  if (input.text) filter.text = input.text;
  const folder = view.logGroup && view.logStream ? accessLogStreamFolder(opts.stateDir ?? engineStateDir(), view.logGroup.id, view.logStream.id) : null;
  return { view, folder: folder && path.resolve(folder), filter };
}
