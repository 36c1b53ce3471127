import { z } from "zod";
import { isStorableTime } from "../../validation";
import { TRACE_SOURCES, TRACE_TYPES } from "./trace-source";

/** Input rules of the Trace List (guide 9.2). */

/** Traces can be viewed for this many days back. */
export const TRACE_RETENTION_DAYS = 7;

/** What "Search By" searches: a trace name (exact), a resource ID or a resource name (contains). */
export const traceSearchBySchema = z.enum(["traceName", "resourceId", "resourceName"]);
export type TraceSearchBy = z.infer<typeof traceSearchBySchema>;

/** Trace Status filter: All trace statuses, Normal, Warning, Incident. */
export const traceStatusFilterSchema = z.enum(["all", "normal", "warning", "incident"], { error: "Trace Status: choose All trace statuses, Normal, Warning or Incident" });

/** Trace Type filter: Management or Data. */
export const traceTypeFilterSchema = z.enum(TRACE_TYPES, { error: "Trace Type: choose Management or Data" });

/** Trace Source filter: the service that recorded the trace. */
export const traceSourceFilterSchema = z.enum(TRACE_SOURCES, { error: `Trace Source: choose ${TRACE_SOURCES.join(" or ")}` });

/**
 * Filters of the Trace List; the time range defaults to the last 7 days. A range reaching further back is
 * refused by the service (it depends on the time of the query, not only on the input).
 */
export const listTracesSchema = z
  .object({
    traceType: traceTypeFilterSchema.optional(),
    traceSource: traceSourceFilterSchema.optional(),
    resourceType: z.string().trim().optional(),
    searchBy: traceSearchBySchema.optional(),
    searchValue: z.string().trim().optional(),
    operator: z.string().trim().optional(),
    status: traceStatusFilterSchema.default("all"),
    from: z.coerce
      .date({ error: "Time range: the start time is not a valid date" })
      .refine((d) => isStorableTime(d.getTime()), "Time range: the start time must be between 1970 and 9999")
      .optional(),
    to: z.coerce
      .date({ error: "Time range: the end time is not a valid date" })
      .refine((d) => isStorableTime(d.getTime()), "Time range: the end time must be between 1970 and 9999")
      .optional(),
    page: z.number().int().min(1).default(1),
    pageSize: z.number().int().min(1).max(100).default(10),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: "Time range: the end time must be later than the start time", path: ["to"] });
export type ListTracesInput = z.input<typeof listTracesSchema>;

/** View Trace: one trace by id. */
export const traceIdSchema = z.object({ id: z.string().min(1) });
