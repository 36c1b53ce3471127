import { z } from "zod";
import type { ListenerProtocol } from "@/db/schema/listeners";
import type { PoolProtocol } from "@/db/schema/pools";
import { idSchema, portSchema, resourceDescriptionSchema, resourceNameSchema } from "../field-schemas";
import { healthMonitorFieldsSchema, healthMonitorIssues } from "../health-monitor/health-monitor.schemas";
import { addIssues, poolFieldsSchema, stickySessionIssues } from "../pool/pool.schemas";
import { parseWhitelist } from "./access-control-whitelist";
import { clientIpTransportIssues } from "../pool/client-ip-transport";
import { clientIpFieldsSchema, clientIpIssues, DEFAULT_CLIENT_IP_SETTINGS, mergeClientIp } from "./client-ip.schemas";

/**
 * Input rules of listeners (guide 3.2, 3.3 and 3.7, table 3-3). Add Listener is one input: the listener,
 * its backend server group (Create new / Use existing) and, for a new group, its health check.
 */

/** Frontend protocols offered (guide 3.2). */
export const FRONTEND_PROTOCOLS = ["TCP", "UDP", "HTTP", "HTTPS"] as const satisfies readonly ListenerProtocol[];

/** The backend protocol a frontend protocol forwards to: TCP→TCP, UDP→UDP, HTTP and HTTPS→HTTP (TLS ends at the load balancer). */
export function backendProtocolFor(protocol: ListenerProtocol): PoolProtocol {
  return protocol === "HTTPS" ? "HTTP" : protocol;
}

/** Port class of guide 3.2: UDP ports are separate; TCP, HTTP and HTTPS share one port space. */
export const portClassOf = (protocol: ListenerProtocol): "UDP" | "STREAM" => (protocol === "UDP" ? "UDP" : "STREAM");

/** Idle timeout a new listener gets: 60 s keep-alive for HTTP, 300 s for TCP connections and UDP sessions. */
export const defaultIdleTimeoutSeconds = (protocol: ListenerProtocol) => (protocol === "HTTP" || protocol === "HTTPS" ? 60 : 300);

const frontendProtocolSchema = z.enum(FRONTEND_PROTOCOLS, { error: "Frontend Protocol: choose TCP, UDP, HTTP or HTTPS" });

/** Server Certificate of an HTTPS listener (table 3-3). */
const serverCertificateIdSchema = idSchema("Server Certificate: select a server certificate");
/** CA Certificate: Mutual Authentication is on exactly when one is set (table 3-3). */
const caCertificateIdSchema = idSchema("CA Certificate: select a CA certificate to enable Mutual Authentication");
/** HTTP/2 of Advanced Settings (guide 3.8.3). */
const http2EnabledSchema = z.boolean({ error: "HTTP/2: must be enabled (true) or disabled (false)" });

/** The HTTPS-only fields of table 3-3, as far as the frontend protocol decides them; for Add Listener. */
function httpsFieldIssues(value: { protocol: ListenerProtocol; serverCertificateId?: string | null; http2Enabled?: boolean; caCertificateId?: string | null; redirectToListenerId?: string | null }) {
  const issues: { path: string[]; message: string }[] = [];
  if (value.protocol === "HTTPS" && !value.serverCertificateId)
    issues.push({ path: ["serverCertificateId"], message: "Server Certificate: required for an HTTPS listener; select a server certificate" });
  if (value.protocol !== "HTTPS") {
    if (value.serverCertificateId) issues.push({ path: ["serverCertificateId"], message: "Server Certificate: can be set only when Frontend Protocol is HTTPS" });
    if (value.http2Enabled) issues.push({ path: ["http2Enabled"], message: "HTTP/2: can be enabled only when Frontend Protocol is HTTPS" });
    if (value.caCertificateId)
      issues.push({ path: ["caCertificateId"], message: "CA Certificate: Mutual Authentication can be enabled only when Frontend Protocol is HTTPS" });
  }
  if (value.protocol !== "HTTP" && value.redirectToListenerId)
    issues.push({ path: ["redirectToListenerId"], message: "Redirected To: only an HTTP listener can be redirected (to an HTTPS listener)" });
  return issues;
}

/** Backend Server Group of Add Listener: a new group (with its health check) or an unassociated existing one. */
export const listenerPoolChoiceSchema = z.discriminatedUnion(
  "mode",
  [
    poolFieldsSchema.extend({
      mode: z.literal("new"),
      /** Default: the backend protocol matching the frontend protocol. */
      protocol: poolFieldsSchema.shape.protocol.optional(),
      /** null/absent = Enable Health Check off. */
      healthMonitor: healthMonitorFieldsSchema.nullish(),
    }),
    z.object({ mode: z.literal("existing"), poolId: idSchema("Backend Server Group: select an existing backend server group") }),
  ],
  { error: "Backend Server Group: choose Create new or Use existing" },
);

/**
 * Add Listener (tables 3-3, 3-4, 3-5) with its client IP settings (issue 10: absent = the defaults),
 * committed as one transaction.
 */
export const createListenerSchema = z
  .object({
    ...clientIpFieldsSchema.shape,
    loadBalancerId: idSchema("Load balancer: select a load balancer"),
    name: resourceNameSchema("Name"),
    protocol: frontendProtocolSchema,
    port: portSchema("Frontend Port"),
    description: resourceDescriptionSchema,
    pool: listenerPoolChoiceSchema,
    /** HTTPS: required. */
    serverCertificateId: serverCertificateIdSchema.nullish(),
    /** HTTPS: Advanced Settings → HTTP/2; default off. */
    http2Enabled: http2EnabledSchema.default(false),
    /** HTTPS: Advanced Settings → Mutual Authentication with this CA Certificate; null/absent = off. */
    caCertificateId: caCertificateIdSchema.nullish(),
    /** HTTP: Redirect on, Redirected To this HTTPS listener of the same load balancer (creates the redirect). */
    redirectToListenerId: idSchema("Redirected To: select an HTTPS listener").nullish(),
  })
  .superRefine((value, ctx) => {
    addIssues(ctx, httpsFieldIssues(value));
    addIssues(ctx, clientIpIssues(value.protocol, mergeClientIp(DEFAULT_CLIENT_IP_SETTINGS, value)));
    if (value.pool.mode !== "new") return;
    const backend = backendProtocolFor(value.protocol);
    if (value.pool.protocol && value.pool.protocol !== backend) {
      ctx.addIssue({ code: "custom", path: ["pool", "protocol"], message: `Backend Protocol: must be ${backend} for a ${value.protocol} listener` });
      return;
    }
    addIssues(ctx, stickySessionIssues(backend, value.pool.algorithm, value.pool.stickySession), ["pool"]);
    addIssues(ctx, clientIpTransportIssues(backend, value.pool.clientIpTransport), ["pool"]);
    if (value.pool.healthMonitor) addIssues(ctx, healthMonitorIssues(backend, value.pool.healthMonitor), ["pool", "healthMonitor"]);
  });
export type CreateListenerInput = z.input<typeof createListenerSchema>;

/**
 * Modify a listener (guide 3.7): name, description, backend server group; for HTTPS listeners also the
 * Server Certificate, HTTP/2 and Mutual Authentication (3.8.2, 3.8.3); the client IP settings (issue 10,
 * absent = unchanged; the service checks the result against the listener's protocol). Protocol and port stay.
 */
export const updateListenerSchema = z.object({
  ...clientIpFieldsSchema.shape,
  id: idSchema("Listener: select a listener"),
  name: resourceNameSchema("Name").optional(),
  /** Absent = unchanged (without the create default "", which would clear it). */
  description: resourceDescriptionSchema.unwrap().optional(),
  /** Another unassociated backend server group of the load balancer with the matching protocol. */
  defaultPoolId: idSchema("Backend Server Group: select a backend server group").optional(),
  /** HTTPS only: another server certificate. */
  serverCertificateId: serverCertificateIdSchema.optional(),
  /** HTTPS only. */
  http2Enabled: http2EnabledSchema.optional(),
  /** HTTPS only: a CA certificate turns Mutual Authentication on, null turns it off; absent = unchanged. */
  caCertificateId: caCertificateIdSchema.nullable().optional(),
});
export type UpdateListenerInput = z.input<typeof updateListenerSchema>;

/** One listener by id. */
export const listenerIdSchema = z.object({ id: idSchema("Listener: select a listener") });

/** The listeners of a load balancer. */
export const listListenersSchema = z.object({ loadBalancerId: idSchema("Load balancer: select a load balancer") });

/**
 * Access Control of a listener (guide 3.6, table 3-6), any protocol. `whitelist` is the guide's
 * comma-separated text or a list, parsed by `parseWhitelist`; it is stored also while Access Control is
 * disabled (everyone gets in then), so enabling it again restores it.
 */
export const updateAccessControlSchema = z.object({
  id: idSchema("Listener: select a listener"),
  enabled: z.boolean({ error: "Access Control: must be enabled (true) or disabled (false)" }),
  whitelist: z
    .union([z.string(), z.array(z.string())], { error: "Whitelist: enter IPv4 addresses or CIDR blocks separated by commas" })
    .default("")
    .transform((value, ctx) => {
      const parsed = parseWhitelist(value);
      if (parsed.ok) return parsed.entries;
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }),
});
export type UpdateAccessControlInput = z.input<typeof updateAccessControlSchema>;

/** Most SNI certificates one HTTPS listener takes. */
export const SNI_CERTIFICATE_LIMIT = 50;

/**
 * SNI of an HTTPS listener (guide 3.8.5): enabled with one or more server certificates, each with its
 * Domain Name. Disabling clears the selection (`certificateIds` is then ignored).
 */
export const updateSniSchema = z
  .object({
    id: idSchema("Listener: select a listener"),
    enabled: z.boolean({ error: "SNI: must be enabled (true) or disabled (false)" }),
    certificateIds: z
      .array(idSchema("SNI Certificate: select a server certificate"), { error: "SNI Certificate: select server certificates" })
      .max(SNI_CERTIFICATE_LIMIT, `SNI Certificate: select at most ${SNI_CERTIFICATE_LIMIT} certificates`)
      .default([])
      .transform((ids) => [...new Set(ids)]),
  })
  .superRefine((value, ctx) => {
    if (value.enabled && value.certificateIds.length === 0)
      ctx.addIssue({ code: "custom", path: ["certificateIds"], message: "SNI Certificate: select at least one server certificate when SNI is enabled" });
  });
export type UpdateSniInput = z.input<typeof updateSniSchema>;
