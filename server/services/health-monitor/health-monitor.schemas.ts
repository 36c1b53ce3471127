import { z } from "zod";
import type { HealthCheckProtocol } from "@/db/schema/health-monitors";
import type { PoolProtocol } from "@/db/schema/pools";
import { idSchema, integerInRange, portSchema } from "../field-schemas";

/**
 * Input rules of health checks (guide tables 3-5, 4-2 and 5-1). The protocol is TCP or HTTP for TCP and
 * HTTP backend server groups and always UDP for UDP groups; once set it cannot be changed.
 */

/** Defaults of table 5-1. */
export const HEALTH_CHECK_DEFAULTS = { intervalSeconds: 5, timeoutSeconds: 3, path: "/", maxRetries: 3, expectedCodes: [200, 202, 401] } as const;

/** Health check protocols a backend protocol allows. */
export function healthCheckProtocolsFor(poolProtocol: PoolProtocol): HealthCheckProtocol[] {
  return poolProtocol === "UDP" ? ["UDP"] : ["TCP", "HTTP"];
}

/** The protocol a new health check gets when none is chosen: the backend protocol. */
export const defaultHealthCheckProtocol = (poolProtocol: PoolProtocol): HealthCheckProtocol => poolProtocol;

const DOMAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;

/** Domain Name: digits, letters, hyphens and periods, starting with a digit or letter; blank = none. */
const domainNameSchema = z
  .string()
  .trim()
  .max(100, "Domain Name: can contain at most 100 characters")
  .refine((v) => v === "" || DOMAIN_NAME.test(v), "Domain Name: can contain only digits, letters, hyphens (-) and periods (.), and must start with a digit or letter")
  .nullish()
  .transform((v) => v || null);

/**
 * URL path characters (RFC 3986 unreserved, sub-delims, ":", "@", "/", "%", plus "?" and "#"): ASCII only,
 * no spaces or control characters, so the engine can send the path in a request line as stored (Node's
 * http.request throws on anything else).
 */
const CHECK_PATH_CHARACTERS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]+$/;

/** Check Path: 1–80 URL path characters starting with a slash. */
const checkPathSchema = z
  .string()
  .trim()
  .min(1, "Check Path: enter 1 to 80 characters starting with a slash (/)")
  .max(80, "Check Path: can contain at most 80 characters")
  .startsWith("/", "Check Path: must start with a slash (/)")
  .regex(
    CHECK_PATH_CHARACTERS,
    "Check Path: can contain only letters, digits and the URL characters - . _ ~ ! $ & ' ( ) * + , ; = : @ % / ? # (no spaces, control or non-ASCII characters; percent-encode others, e.g. %20)",
  );

/** HTTP status codes that count as healthy. */
const expectedCodesSchema = z
  .array(integerInRange("Expected Codes", 100, 599), { error: "Expected Codes: enter HTTP status codes such as 200,202,401" })
  .min(1, "Expected Codes: enter at least one HTTP status code")
  .max(20, "Expected Codes: at most 20 status codes");

/** The settings of a health check as entered (table 5-1); absent fields take the defaults. */
export const healthMonitorFieldsSchema = z.object({
  /** Enable Health Check. Default on. */
  enabled: z.boolean().default(true),
  /** Default: the backend protocol. */
  protocol: z.enum(["TCP", "HTTP", "UDP"], { error: "Protocol: choose TCP or HTTP (UDP backend server groups use UDP)" }).optional(),
  domainName: domainNameSchema,
  /** null = each backend server's own port. */
  port: portSchema("Port").nullish(),
  intervalSeconds: integerInRange("Interval (s)", 1, 50).default(HEALTH_CHECK_DEFAULTS.intervalSeconds),
  timeoutSeconds: integerInRange("Timeout (s)", 1, 50).default(HEALTH_CHECK_DEFAULTS.timeoutSeconds),
  path: checkPathSchema.optional(),
  maxRetries: integerInRange("Maximum Retries", 1, 10).default(HEALTH_CHECK_DEFAULTS.maxRetries),
  expectedCodes: expectedCodesSchema.optional(),
});
export type HealthMonitorFieldsInput = z.input<typeof healthMonitorFieldsSchema>;

/** Rules across fields, for a backend protocol: allowed protocol; Domain Name and Check Path only with HTTP. */
export function healthMonitorIssues(
  poolProtocol: PoolProtocol,
  fields: { protocol?: HealthCheckProtocol; domainName?: string | null; path?: string },
): { path: string[]; message: string }[] {
  const protocol = fields.protocol ?? defaultHealthCheckProtocol(poolProtocol);
  if (!healthCheckProtocolsFor(poolProtocol).includes(protocol))
    return [
      {
        path: ["protocol"],
        message: poolProtocol === "UDP" ? "Protocol: a UDP backend server group is checked with UDP" : `Protocol: choose TCP or HTTP for a ${poolProtocol} backend server group`,
      },
    ];
  const issues: { path: string[]; message: string }[] = [];
  if (protocol !== "HTTP" && fields.domainName) issues.push({ path: ["domainName"], message: "Domain Name: can be set only when the health check Protocol is HTTP" });
  if (protocol !== "HTTP" && fields.path !== undefined && fields.path !== "/")
    issues.push({ path: ["path"], message: "Check Path: can be set only when the health check Protocol is HTTP" });
  return issues;
}

/**
 * Stored columns of a health check. Timeout above the interval is stored as the interval (table 5-1:
 * "Otherwise, the value set for the interval will be used as the timeout").
 */
export function healthMonitorColumns(poolProtocol: PoolProtocol, fields: z.output<typeof healthMonitorFieldsSchema>) {
  const protocol = fields.protocol ?? defaultHealthCheckProtocol(poolProtocol);
  return {
    enabled: fields.enabled,
    protocol,
    domainName: protocol === "HTTP" ? fields.domainName : null,
    port: fields.port ?? null,
    intervalSeconds: fields.intervalSeconds,
    timeoutSeconds: Math.min(fields.timeoutSeconds, fields.intervalSeconds),
    path: protocol === "HTTP" ? (fields.path ?? HEALTH_CHECK_DEFAULTS.path) : HEALTH_CHECK_DEFAULTS.path,
    maxRetries: fields.maxRetries,
    expectedCodes: fields.expectedCodes ?? [...HEALTH_CHECK_DEFAULTS.expectedCodes],
  };
}

/** Configure a health check on a group that has none ("create healthmonitor"). */
export const createHealthMonitorSchema = healthMonitorFieldsSchema.extend({ poolId: idSchema("Backend Server Group: select a backend server group") });
export type CreateHealthMonitorInput = z.input<typeof createHealthMonitorSchema>;

/**
 * Configure an existing health check ("update healthmonitor"): any field; absent = unchanged. The
 * protocol may be sent but must equal the stored one.
 */
export const updateHealthMonitorSchema = z.object({
  poolId: idSchema("Backend Server Group: select a backend server group"),
  enabled: z.boolean().optional(),
  protocol: healthMonitorFieldsSchema.shape.protocol,
  domainName: domainNameSchema.optional(),
  port: portSchema("Port").nullable().optional(),
  intervalSeconds: integerInRange("Interval (s)", 1, 50).optional(),
  timeoutSeconds: integerInRange("Timeout (s)", 1, 50).optional(),
  path: checkPathSchema.optional(),
  maxRetries: integerInRange("Maximum Retries", 1, 10).optional(),
  expectedCodes: expectedCodesSchema.optional(),
});
export type UpdateHealthMonitorInput = z.input<typeof updateHealthMonitorSchema>;

/** The health check of one backend server group. */
export const healthMonitorPoolSchema = z.object({ poolId: idSchema("Backend Server Group: select a backend server group") });
