import "server-only";
import type { Database } from "@/db/client";
import { eq } from "drizzle-orm";
import { certificates, eips, forwardingPolicies, healthMonitors, listenerSniCertificates, listeners, loadBalancers, logGroups, logStreams, members, pools, redirects } from "@/db/schema";

/** Every row the snapshot compiler needs. */
export interface ConfigRows {
  loadBalancers: (typeof loadBalancers.$inferSelect)[];
  eips: (typeof eips.$inferSelect)[];
  listeners: (typeof listeners.$inferSelect)[];
  pools: (typeof pools.$inferSelect)[];
  members: (typeof members.$inferSelect)[];
  healthMonitors: (typeof healthMonitors.$inferSelect)[];
  certificates: (typeof certificates.$inferSelect)[];
  listenerSniCertificates: (typeof listenerSniCertificates.$inferSelect)[];
  redirects: (typeof redirects.$inferSelect)[];
  forwardingPolicies: (typeof forwardingPolicies.$inferSelect)[];
  /** Every log stream with its group's retention (what a listener's access log compiles from); absent = none. */
  accessLogStreams?: AccessLogStreamRow[];
  /**
   * Every log group's retention, logged into or not (the engine prunes each and deletes the folders of
   * the others); absent = not read (compiler tests): the snapshot then has no `accessLogGroups`.
   */
  logGroups?: LogGroupRetentionRow[];
}

/** A log group's retention limits. */
export interface LogGroupRetentionRow {
  id: string;
  retentionDays: number;
  maxSizeMegabytes: number;
}

/** A log stream joined with its log group's retention limits. */
export interface AccessLogStreamRow {
  streamId: string;
  groupId: string;
  retentionDays: number;
  maxSizeMegabytes: number;
  syslogProtocol: (typeof logStreams.$inferSelect)["syslogProtocol"];
  syslogHost: string | null;
  syslogPort: number | null;
}

/**
 * Reads the data-plane configuration of all load balancers. Pass a repeatable-read transaction when the
 * rows must come from one consistent view (the publisher does).
 */
export async function loadConfigRows(db: Database): Promise<ConfigRows> {
  return {
    loadBalancers: await db.select().from(loadBalancers),
    eips: await db.select().from(eips),
    listeners: await db.select().from(listeners),
    pools: await db.select().from(pools),
    members: await db.select().from(members),
    healthMonitors: await db.select().from(healthMonitors),
    certificates: await db.select().from(certificates),
    listenerSniCertificates: await db.select().from(listenerSniCertificates),
    redirects: await db.select().from(redirects),
    forwardingPolicies: await db.select().from(forwardingPolicies),
    accessLogStreams: await db
      .select({
        streamId: logStreams.id,
        groupId: logStreams.groupId,
        retentionDays: logGroups.retentionDays,
        maxSizeMegabytes: logGroups.maxSizeMegabytes,
        syslogProtocol: logStreams.syslogProtocol,
        syslogHost: logStreams.syslogHost,
        syslogPort: logStreams.syslogPort,
      })
      .from(logStreams)
      .innerJoin(logGroups, eq(logGroups.id, logStreams.groupId)),
    logGroups: await db.select({ id: logGroups.id, retentionDays: logGroups.retentionDays, maxSizeMegabytes: logGroups.maxSizeMegabytes }).from(logGroups),
  };
}
