import { z } from "zod";
import { LATEST_INPUT_TIME_MS } from "../../validation";
import { idSchema } from "../field-schemas";

/** Input rules of a load balancer's access logging (guide chapter 7, "Configure Access Log"). */

/** Configure Access Log with logging on: the load balancer's HTTP/HTTPS records go to the selected log stream. */
export const configureAccessLogSchema = z.object({
  loadBalancerId: idSchema("Load balancer: select a load balancer"),
  logStreamId: idSchema("Log Stream: select a log stream"),
});
export type ConfigureAccessLogInput = z.input<typeof configureAccessLogSchema>;

/** Configure Access Log with logging off (the selected stream is kept for next time). */
export const disableAccessLogSchema = z.object({ loadBalancerId: idSchema("Load balancer: select a load balancer") });

/** The access log settings of one load balancer. */
export const accessLogOfSchema = disableAccessLogSchema;

const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label}: can contain at most ${max} characters`)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u001f\u007f]*$/, `${label}: cannot contain control characters (U+0000 to U+001F)`)
    .optional()
    .transform((v) => (v ? v : undefined));

/** The filters of the Access Logs tab (and of its download): time range in ms since the epoch, status, client IP, path prefix, text. */
export const accessLogFiltersSchema = z.object({
  loadBalancerId: idSchema("Load balancer: select a load balancer"),
  /** Start of the time range; default one hour before `to`. At most the log group's retention ago. */
  from: z.number({ error: "From: enter a time" }).int("From: enter a time").min(0, "From: enter a time").max(LATEST_INPUT_TIME_MS, "From: the time must be between 1970 and 9999").optional(),
  /** End of the time range; default now. */
  to: z.number({ error: "To: enter a time" }).int("To: enter a time").min(0, "To: enter a time").max(LATEST_INPUT_TIME_MS, "To: the time must be between 1970 and 9999").optional(),
  /** Codes and classes, comma-separated: "404", "5xx", "404, 5xx". */
  status: optionalText("Status", 100),
  clientIp: optionalText("Client IP", 45),
  /** router_request_uri starts with this ("/api/"). */
  path: optionalText("Path", 1024),
  text: optionalText("Text", 200),
});
export type AccessLogFiltersInput = z.input<typeof accessLogFiltersSchema>;

/** A page of the Access Logs tab: the filters, the cursor of an "older" page, the page size (1–100, default 50). */
export const searchAccessLogsSchema = accessLogFiltersSchema.extend({
  cursor: z.string().max(80, "Cursor: not a page of this search").optional(),
  pageSize: z
    .number({ error: "Page size: enter a number between 1 and 100" })
    .int("Page size: must be a whole number between 1 and 100")
    .min(1, "Page size: must be a whole number between 1 and 100")
    .max(100, "Page size: must be a whole number between 1 and 100")
    .default(50),
});
export type SearchAccessLogsInput = z.input<typeof searchAccessLogsSchema>;
