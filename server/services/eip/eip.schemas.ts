import { z } from "zod";
import { bandwidthSchema } from "../load-balancer/load-balancer.schemas";

/** Input rules of EIPs in Settings > Networks (allocation shares the load balancer's bandwidth rule: 1–2000 Mbit/s). */

/** Allocate EIP from a pool: Dynamic BGP, with a bandwidth. */
export const createEipSchema = z.object({
  poolId: z.string().min(1, "EIP pool: select an EIP pool"),
  eipType: z.literal("dynamic_bgp", { error: "EIP Type: the only type is Dynamic BGP" }).default("dynamic_bgp"),
  bandwidthMbit: bandwidthSchema,
});

/** EIP list of the region: optionally one pool, an address search, paging. */
export const listEipsSchema = z.object({
  poolId: z.string().optional(),
  address: z.string().trim().optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(10),
});
export type ListEipsInput = z.input<typeof listEipsSchema>;

/** An operation on one EIP by id. */
export const eipIdSchema = z.object({ id: z.string().min(1) });
