import { z } from "zod";
import type { ListenerProtocol } from "@/db/schema/listeners";
import type { PoolProtocol } from "@/db/schema/pools";
import { idSchema, portSchema, resourceDescriptionSchema, resourceNameSchema } from "../field-schemas";
import { healthMonitorFieldsSchema, healthMonitorIssues } from "../health-monitor/health-monitor.schemas";
import { addIssues, poolFieldsSchema, stickySessionIssues } from "../pool/pool.schemas";

/**
 * Input rules of listeners (guide 3.2, 3.3 and 3.7, table 3-3). Add Listener is one input: the listener,
 * its backend server group (Create new / Use existing) and, for a new group, its health check.
 */

/** Frontend protocols offered (HTTPS arrives with certificates). */
export const FRONTEND_PROTOCOLS = ["TCP", "UDP", "HTTP"] as const satisfies readonly ListenerProtocol[];

/** The backend protocol a frontend protocol forwards to: TCP→TCP, UDP→UDP, HTTP (and later HTTPS)→HTTP. */
export function backendProtocolFor(protocol: ListenerProtocol): PoolProtocol {
  return protocol === "HTTPS" ? "HTTP" : protocol;
}

/** Port class of guide 3.2: UDP ports are separate; TCP, HTTP and HTTPS share one port space. */
export const portClassOf = (protocol: ListenerProtocol): "UDP" | "STREAM" => (protocol === "UDP" ? "UDP" : "STREAM");

/** Idle timeout a new listener gets: 60 s keep-alive for HTTP, 300 s for TCP connections and UDP sessions. */
export const defaultIdleTimeoutSeconds = (protocol: ListenerProtocol) => (protocol === "HTTP" || protocol === "HTTPS" ? 60 : 300);

const frontendProtocolSchema = z.enum(FRONTEND_PROTOCOLS, { error: "Frontend Protocol: choose TCP, UDP or HTTP (HTTPS is not available yet)" });

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

/** Add Listener (tables 3-3, 3-4, 3-5), committed as one transaction. */
export const createListenerSchema = z
  .object({
    loadBalancerId: idSchema("Load balancer: select a load balancer"),
    name: resourceNameSchema("Name"),
    protocol: frontendProtocolSchema,
    port: portSchema("Frontend Port"),
    description: resourceDescriptionSchema,
    pool: listenerPoolChoiceSchema,
  })
  .superRefine((value, ctx) => {
    if (value.pool.mode !== "new") return;
    const backend = backendProtocolFor(value.protocol);
    if (value.pool.protocol && value.pool.protocol !== backend) {
      ctx.addIssue({ code: "custom", path: ["pool", "protocol"], message: `Backend Protocol: must be ${backend} for a ${value.protocol} listener` });
      return;
    }
    addIssues(ctx, stickySessionIssues(backend, value.pool.algorithm, value.pool.stickySession), ["pool"]);
    if (value.pool.healthMonitor) addIssues(ctx, healthMonitorIssues(backend, value.pool.healthMonitor), ["pool", "healthMonitor"]);
  });
export type CreateListenerInput = z.input<typeof createListenerSchema>;

/** Modify a listener (guide 3.7): name, description, backend server group. Protocol and port stay. */
export const updateListenerSchema = z.object({
  id: idSchema("Listener: select a listener"),
  name: resourceNameSchema("Name").optional(),
  description: resourceDescriptionSchema.optional(),
  /** Another unassociated backend server group of the load balancer with the matching protocol. */
  defaultPoolId: idSchema("Backend Server Group: select a backend server group").optional(),
});
export type UpdateListenerInput = z.input<typeof updateListenerSchema>;

/** One listener by id. */
export const listenerIdSchema = z.object({ id: idSchema("Listener: select a listener") });

/** The listeners of a load balancer. */
export const listListenersSchema = z.object({ loadBalancerId: idSchema("Load balancer: select a load balancer") });
