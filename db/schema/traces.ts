import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { idColumn } from "./ids";

/** Trace status (guide 9.2): normal, warning (a refused request), incident (a server failure). */
export type TraceStatus = "normal" | "warning" | "incident";

/** An audit trace: one per mutation, named after guide table 9-1 ("create loadbalancer", …). */
export const traces = pgTable(
  "traces",
  {
    id: idColumn(),
    traceName: text("trace_name").notNull(),
    resourceType: text("resource_type").notNull(),
    resourceId: text("resource_id"),
    resourceName: text("resource_name"),
    userName: text("user_name").notNull(),
    sourceIp: text("source_ip").notNull(),
    /** HTTP-style result code: 200, 400, 403, 404, 409, 500 … */
    code: text("code").notNull(),
    status: text("status").$type<TraceStatus>().notNull(),
    /** Request and response bodies, secrets redacted. */
    request: jsonb("request"),
    response: jsonb("response"),
    projectId: text("project_id"),
    regionId: text("region_id"),
    time: timestamp("time", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("traces_time_idx").on(t.time)],
);
