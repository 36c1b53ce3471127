import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn, updatedAtColumn } from "./ids";
import { projects } from "./projects";

/** Transport of a log stream's syslog forwarding (RFC 5424 over UDP, or over TCP with octet counting, RFC 6587). */
export type SyslogProtocol = "UDP" | "TCP";

/**
 * A log group (guide chapter 7, "Create Log Group"): a named store of access logs with a retention
 * limit by age and by size. The records themselves are files in the data directory, not rows.
 */
export const logGroups = pgTable(
  "log_groups",
  {
    id: idColumn(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id),
    name: text("name").notNull(),
    /** Records older than this many days are deleted (1–365, default 7). */
    retentionDays: integer("retention_days").notNull().default(7),
    /** The group's files are trimmed (oldest first) beyond this many MiB (1–1 048 576, default 10 240). */
    maxSizeMegabytes: integer("max_size_megabytes").notNull().default(10_240),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [uniqueIndex("log_groups_project_name_uq").on(t.projectId, t.name)],
);

/**
 * A log stream of a log group ("Create Log Stream"); its id is table 7-1's access_log_topic_id. It may
 * forward every record to a syslog server as well.
 */
export const logStreams = pgTable(
  "log_streams",
  {
    id: idColumn(),
    groupId: text("group_id")
      .notNull()
      .references(() => logGroups.id),
    name: text("name").notNull(),
    syslogProtocol: text("syslog_protocol").$type<SyslogProtocol>(),
    syslogHost: text("syslog_host"),
    syslogPort: integer("syslog_port"),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (t) => [uniqueIndex("log_streams_group_name_uq").on(t.groupId, t.name), index("log_streams_group_idx").on(t.groupId)],
);
