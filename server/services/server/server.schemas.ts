import { z } from "zod";
import { idSchema, resourceNameSchema } from "../field-schemas";
import { memberAddressSchema } from "../member/member.schemas";

/**
 * Input rules of the server inventory (Settings > Networks > Servers): named IPv4 addresses per subnet that
 * Add Backend Servers offers (guide 4.3, step 6). Shared by the services, the router and the forms.
 */

/** A server name: 1–64 letters, digits, underscores, hyphens, periods. */
export const serverNameSchema = resourceNameSchema("Server name");

/** Add Server to a subnet: the address must lie inside the subnet's block (checked by the service). */
export const createServerSchema = z.object({
  subnetId: idSchema("Subnet: select a subnet"),
  name: serverNameSchema,
  address: memberAddressSchema,
});
export type CreateServerInput = z.input<typeof createServerSchema>;

/** Modify a server: its name and/or address (it stays in its subnet). */
export const updateServerSchema = z.object({
  id: idSchema("Server: select a server"),
  name: serverNameSchema.optional(),
  address: memberAddressSchema.optional(),
});
export type UpdateServerInput = z.input<typeof updateServerSchema>;

/** Servers of the region; narrowed to one subnet, or to the subnets of a load balancer's VPC. */
export const listServersSchema = z
  .object({
    subnetId: z.string().min(1).optional(),
    loadBalancerId: z.string().min(1).optional(),
  })
  .default({});

/** An operation on one server by id. */
export const serverIdSchema = z.object({ id: idSchema("Server: select a server") });
