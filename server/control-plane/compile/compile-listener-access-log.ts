import "server-only";
import type { SnapshotAccessLog, SnapshotAccessLogGroup } from "@/engine/protocol/snapshot.types";
import type { AccessLogStreamRow, ConfigRows } from "../load-config-rows";
import type { ReportDiagnostic } from "./diagnostic";
import { byId } from "./sort-by-id";

type ListenerRow = ConfigRows["listeners"][number];
type LoadBalancerRow = ConfigRows["loadBalancers"][number];

/** The log streams by id, built once per compile. */
export function accessLogLookups(rows: ConfigRows): Map<string, AccessLogStreamRow> {
  return new Map((rows.accessLogStreams ?? []).map((s) => [s.streamId, s]));
}

const MIB = 1024 * 1024;

/**
 * The retention of every log group, in id order — also of groups no load balancer logs into any more,
 * whose files must still age out; a group left out is a deleted one, whose folder the engine deletes.
 * [] when there are none (the hash then counts nothing: `snapshotHash`); undefined when the rows were
 * not read (`ConfigRows.logGroups` absent).
 */
export function compileAccessLogGroups(rows: ConfigRows): SnapshotAccessLogGroup[] | undefined {
  return rows.logGroups && [...rows.logGroups].sort(byId).map((g) => ({ groupId: g.id, retentionDays: g.retentionDays, maxBytes: g.maxSizeMegabytes * MIB }));
}

/**
 * Where an HTTP/HTTPS listener's access-log records go (guide chapter 7), or null — the listener then
 * has no `accessLog` key at all, so a configuration without access logging compiles to the same bytes
 * (and snapshot hash) as before the feature. Null when the load balancer's logging is off, the listener
 * is TCP/UDP (table 7-1 records HTTP requests), or the stream is missing (reported; no records rather
 * than records somewhere else).
 */
export function compileListenerAccessLog(
  l: ListenerRow,
  lb: LoadBalancerRow,
  eipAddress: string | null,
  streams: Map<string, AccessLogStreamRow>,
  report: ReportDiagnostic,
): SnapshotAccessLog | null {
  if (!lb.accessLogEnabled || (l.protocol !== "HTTP" && l.protocol !== "HTTPS")) return null;
  const stream = lb.accessLogStreamId === null ? undefined : streams.get(lb.accessLogStreamId);
  if (!stream) {
    report({ kind: "listener", id: l.id, name: l.name, message: `its load balancer's access log stream ${lb.accessLogStreamId ?? "(none)"} does not exist; the listener writes no access log` });
    return null;
  }
  const syslog =
    stream.syslogProtocol && stream.syslogHost && stream.syslogPort ? { protocol: stream.syslogProtocol, host: stream.syslogHost, port: stream.syslogPort } : null;
  return {
    streamId: stream.streamId,
    groupId: stream.groupId,
    tenantId: lb.projectId,
    eipAddress,
    retentionDays: stream.retentionDays,
    maxBytes: stream.maxSizeMegabytes * MIB,
    syslog,
  };
}
