import { z } from "zod";
import type { Algorithm, PoolProtocol, StickySessionType } from "@/db/schema/pools";
import { idSchema, integerInRange, resourceDescriptionSchema, resourceNameSchema } from "../field-schemas";
import { healthMonitorFieldsSchema, healthMonitorIssues } from "../health-monitor/health-monitor.schemas";
import { clientIpTransportIssues, clientIpTransportSchema } from "./client-ip-transport";

/**
 * Input rules of backend server groups (guide tables 3-4 and 4-1, section 3.5, table 10-1). Shared by
 * the services, the tRPC router and the forms, so the browser and the server give the same message.
 */

/** Guide words for the stored values. */
export const algorithmLabels: Record<Algorithm, string> = {
  ROUND_ROBIN: "Weighted round robin",
  LEAST_CONNECTIONS: "Weighted least connections",
  SOURCE_IP: "Source IP hash",
};
export const stickySessionTypeLabels: Record<StickySessionType, string> = {
  SOURCE_IP: "Source IP address",
  HTTP_COOKIE: "Load balancer cookie",
  APP_COOKIE: "Application cookie",
};

/** Default stickiness duration, minutes (guide 3.5; Weighted round robin only). */
export const DEFAULT_STICKINESS_MINUTES = 20;
/** Maximum stickiness duration: 60 min at Layer 4, 1440 min (24 h) at Layer 7 (guide 3.5). */
export const maxStickinessMinutes = (protocol: PoolProtocol) => (protocol === "HTTP" ? 1440 : 60);

/**
 * Table 10-1, cell by cell: the sticky session types a backend protocol (Layer 4 = TCP/UDP, Layer 7 = HTTP)
 * and load balancing algorithm support. Empty = Sticky Session cannot be turned on.
 *
 * | Algorithm                  | Source IP address | Load balancer cookie | Application cookie |
 * | Weighted round robin       | Layer 4           | Layer 7              | Layer 7            |
 * | Weighted least connections | —                 | —                    | —                  |
 * | Source IP hash             | Layer 4 and 7     | —                    | —                  |
 */
export function stickySessionTypesFor(protocol: PoolProtocol, algorithm: Algorithm): StickySessionType[] {
  if (algorithm === "LEAST_CONNECTIONS") return [];
  if (algorithm === "SOURCE_IP") return ["SOURCE_IP"];
  return protocol === "HTTP" ? ["HTTP_COOKIE", "APP_COOKIE"] : ["SOURCE_IP"];
}

/** Whether Sticky Session can be turned on at all for a backend protocol and algorithm (table 10-1). */
export const stickySessionAllowed = (protocol: PoolProtocol, algorithm: Algorithm) => stickySessionTypesFor(protocol, algorithm).length > 0;

/**
 * Whether a Stickiness Duration can be set: only with Weighted round robin (guide 3.5, both NOTEs).
 * With Source IP hash the group stores no duration (null): there is no such setting, so none is
 * invented. The engine still needs an idle expiry for its source-IP table; the snapshot compiler gives
 * it the guide's default (`stickinessDurationMinutes ?? 20`, server/control-plane/compile/compile-pools.ts).
 */
export const stickinessDurationAllowed = (algorithm: Algorithm) => algorithm === "ROUND_ROBIN";

const COOKIE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Sticky session settings as entered; null/absent = Sticky Session off. */
export const stickySessionSchema = z.object({
  type: z.enum(["SOURCE_IP", "HTTP_COOKIE", "APP_COOKIE"], { error: "Sticky Session Type: choose Source IP address, Load balancer cookie or Application cookie" }),
  cookieName: z.string().trim().nullish(),
  /** Weighted round robin only (guide 3.5); absent = the default, 20 min. */
  durationMinutes: integerInRange("Stickiness Duration (min)", 1, 1440).optional(),
});
export type StickySessionInput = z.input<typeof stickySessionSchema>;

/** The fields of a backend server group (table 4-1) except where it belongs. */
export const poolFieldsSchema = z.object({
  name: resourceNameSchema("Name"),
  description: resourceDescriptionSchema,
  protocol: z.enum(["TCP", "UDP", "HTTP"], { error: "Backend Protocol: choose TCP, UDP or HTTP" }),
  algorithm: z.enum(["ROUND_ROBIN", "LEAST_CONNECTIONS", "SOURCE_IP"], {
    error: "Load Balancing Algorithm: choose Weighted round robin, Weighted least connections or Source IP hash",
  }),
  stickySession: stickySessionSchema.nullish(),
  /** TCP/UDP: Client IP Transport (used when the listener has Transfer Client IP Address on); absent = Transparent. */
  clientIpTransport: clientIpTransportSchema.optional(),
});
export type PoolFieldsInput = z.input<typeof poolFieldsSchema>;

/** A problem with an input, by field path relative to the object checked. */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

/** Sticky session rules of guide 3.5 and table 10-1 for a backend protocol and algorithm. */
export function stickySessionIssues(protocol: PoolProtocol, algorithm: Algorithm, sticky: StickySessionInput | null | undefined): FieldIssue[] {
  if (!sticky) return [];
  if (!stickySessionAllowed(protocol, algorithm))
    return [
      {
        path: ["stickySession"],
        message: "Sticky Session: not supported with Weighted least connections (table 10-1); turn Sticky Session off, or choose Weighted round robin or Source IP hash",
      },
    ];
  if (!stickySessionTypesFor(protocol, algorithm).includes(sticky.type))
    return [{ path: ["stickySession", "type"], message: stickySessionTypeMessage(protocol, algorithm) }];
  const issues: FieldIssue[] = [];
  if (sticky.type === "APP_COOKIE" && !COOKIE_NAME.test(sticky.cookieName ?? ""))
    issues.push({
      path: ["stickySession", "cookieName"],
      message: "Cookie Name: required for Application cookie; 1 to 64 characters: letters, digits, underscores (_), hyphens (-) and periods (.)",
    });
  const max = maxStickinessMinutes(protocol);
  if (sticky.durationMinutes !== undefined && !stickinessDurationAllowed(algorithm))
    issues.push({
      path: ["stickySession", "durationMinutes"],
      message: `Stickiness Duration (min): can be set only with Weighted round robin (guide 3.5); leave it empty for ${algorithmLabels[algorithm]}`,
    });
  else if (sticky.durationMinutes !== undefined && sticky.durationMinutes > max)
    issues.push({
      path: ["stickySession", "durationMinutes"],
      message: `Stickiness Duration (min): must be between 1 and ${max} for a ${protocol} backend server group (${protocol === "HTTP" ? "Layer 7: up to 24 hours" : "Layer 4: up to 1 hour"})`,
    });
  return issues;
}

/** What Sticky Session Type allows, for a protocol and algorithm that support some type. */
function stickySessionTypeMessage(protocol: PoolProtocol, algorithm: Algorithm): string {
  if (algorithm === "SOURCE_IP")
    return "Sticky Session Type: only Source IP address is supported with Source IP hash (table 10-1); cookies need Weighted round robin and an HTTP backend server group";
  return protocol === "HTTP"
    ? "Sticky Session Type: choose Load balancer cookie or Application cookie for an HTTP backend server group with Weighted round robin (Source IP address needs Source IP hash at Layer 7)"
    : `Sticky Session Type: Source IP address is the only type for a ${protocol} backend server group with Weighted round robin (cookies are for HTTP)`;
}

/**
 * Stored form of the sticky session columns (all null when off); call after `stickySessionIssues` passed.
 * The duration is stored only where it can be set (Weighted round robin, default 20); otherwise null.
 */
export function stickySessionColumns(algorithm: Algorithm, sticky: StickySessionInput | null | undefined) {
  if (!sticky) return { stickySessionType: null, cookieName: null, stickinessDurationMinutes: null };
  return {
    stickySessionType: sticky.type,
    cookieName: sticky.type === "APP_COOKIE" ? (sticky.cookieName ?? null) : null,
    stickinessDurationMinutes: stickinessDurationAllowed(algorithm) ? (sticky.durationMinutes ?? DEFAULT_STICKINESS_MINUTES) : null,
  };
}

/** Adds issues to a zod refinement context, with a path prefix. */
export function addIssues(ctx: z.RefinementCtx, issues: FieldIssue[], prefix: (string | number)[] = []) {
  for (const issue of issues) ctx.addIssue({ code: "custom", path: [...prefix, ...issue.path], message: issue.message });
}

/** Add Backend Server Group (guide 4.3, tables 4-1 and 4-2): the group and, optionally, its health check. */
export const createPoolSchema = poolFieldsSchema
  .extend({
    loadBalancerId: idSchema("Load balancer: select a load balancer"),
    /** null/absent = Enable Health Check off. */
    healthMonitor: healthMonitorFieldsSchema.nullish(),
  })
  .superRefine((value, ctx) => {
    addIssues(ctx, stickySessionIssues(value.protocol, value.algorithm, value.stickySession));
    addIssues(ctx, clientIpTransportIssues(value.protocol, value.clientIpTransport));
    if (value.healthMonitor) addIssues(ctx, healthMonitorIssues(value.protocol, value.healthMonitor), ["healthMonitor"]);
  });
export type CreatePoolInput = z.input<typeof createPoolSchema>;

/** Modify a backend server group: name, description, algorithm, sticky session, Client IP Transport (the backend protocol stays). */
export const updatePoolSchema = z.object({
  id: idSchema("Backend Server Group: select a backend server group"),
  name: resourceNameSchema("Name").optional(),
  /** Absent = unchanged (without the create default "", which would clear it). */
  description: resourceDescriptionSchema.unwrap().optional(),
  algorithm: poolFieldsSchema.shape.algorithm.optional(),
  /** null = turn Sticky Session off; absent = unchanged. */
  stickySession: stickySessionSchema.nullable().optional(),
  /** TCP/UDP groups; absent = unchanged (checked against the group's protocol by the service). */
  clientIpTransport: clientIpTransportSchema.optional(),
});
export type UpdatePoolInput = z.input<typeof updatePoolSchema>;

/** One backend server group by id. */
export const poolIdSchema = z.object({ id: idSchema("Backend Server Group: select a backend server group") });

/** The backend server groups of a load balancer. */
export const listPoolsSchema = z.object({ loadBalancerId: idSchema("Load balancer: select a load balancer") });
