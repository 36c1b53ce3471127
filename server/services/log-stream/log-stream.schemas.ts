import { z } from "zod";
import { idSchema, portSchema, resourceNameSchema, withoutControlCharacters } from "../field-schemas";

/** Input rules of log streams (guide chapter 7, "Create Log Stream"), with optional syslog forwarding. */

/** Syslog forwarding of a stream's records: RFC 5424 over UDP or TCP to host:port. */
export const syslogTargetSchema = z.object({
  protocol: z.enum(["UDP", "TCP"], { error: "Syslog Protocol: select UDP or TCP" }),
  host: withoutControlCharacters(
    z
      .string({ error: "Syslog Host: enter an IP address or host name" })
      .trim()
      .min(1, "Syslog Host: enter an IP address or host name")
      .max(253, "Syslog Host: can contain at most 253 characters"),
    "Syslog Host",
  ).regex(/^[A-Za-z0-9.:_-]+$/, "Syslog Host: enter an IP address or host name (letters, digits, '.', ':', '-', '_')"),
  port: portSchema("Syslog Port"),
});
export type SyslogTargetInput = z.input<typeof syslogTargetSchema>;

/** Create Log Stream: a name unique in its group; syslog forwarding off unless given. */
export const createLogStreamSchema = z.object({
  groupId: idSchema("Log Group: select a log group"),
  name: resourceNameSchema("Log Stream Name"),
  syslog: syslogTargetSchema.nullable().default(null),
});
export type CreateLogStreamInput = z.input<typeof createLogStreamSchema>;

/** Modify a log stream: its name, or its syslog forwarding (null turns it off). */
export const updateLogStreamSchema = z.object({
  id: idSchema("Log Stream: select a log stream"),
  name: resourceNameSchema("Log Stream Name").optional(),
  syslog: syslogTargetSchema.nullable().optional(),
});
export type UpdateLogStreamInput = z.input<typeof updateLogStreamSchema>;

/** One log stream by id. */
export const logStreamIdSchema = z.object({ id: idSchema("Log Stream: select a log stream") });

/** The log streams of a log group. */
export const listLogStreamsSchema = z.object({ groupId: idSchema("Log Group: select a log group") });
