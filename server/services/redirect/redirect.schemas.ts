import { z } from "zod";
import { idSchema, resourceDescriptionSchema, resourceNameSchema } from "../field-schemas";

/** Input rules of redirects (guide 3.8.4, table 3-9): an HTTP listener answers 301 to an HTTPS listener. */

/** Redirected To: an HTTPS listener of the same load balancer. */
const targetListenerIdSchema = idSchema("Redirected To: select an HTTPS listener");

/** Create a redirect on an HTTP listener (table 3-9). */
export const createRedirectSchema = z.object({
  listenerId: idSchema("Listener: select an HTTP listener"),
  name: resourceNameSchema("Name"),
  targetListenerId: targetListenerIdSchema,
  description: resourceDescriptionSchema,
});
export type CreateRedirectInput = z.input<typeof createRedirectSchema>;

/** Modify a redirect: its name, description, or another HTTPS listener. */
export const updateRedirectSchema = z.object({
  id: idSchema("Redirect: select a redirect"),
  name: resourceNameSchema("Name").optional(),
  targetListenerId: targetListenerIdSchema.optional(),
  description: resourceDescriptionSchema.unwrap().optional(),
});
export type UpdateRedirectInput = z.input<typeof updateRedirectSchema>;

/** One redirect by id. */
export const redirectIdSchema = z.object({ id: idSchema("Redirect: select a redirect") });

/** The redirects of a listener (at most one). */
export const listRedirectsSchema = z.object({ listenerId: idSchema("Listener: select a listener") });
