import { z } from "zod";

/**
 * Input rules of the load balancer resource (guide tables 2-1 and 2-2). Shared by the services (which
 * always parse their input), the tRPC router and the create form, so client and server say the same thing.
 */

/** At most this many tags per load balancer (the guide sets no number; 10 is the cloud console's limit). */
export const MAX_TAGS = 10;
/** Bandwidth range of a new EIP, Mbit/s. */
export const BANDWIDTH_MIN = 1;
export const BANDWIDTH_MAX = 2000;

const FORBIDDEN_TAG_CHARS = /[*<>\\=,|/]/;

/** Load balancer name: 1–64 characters: letters, digits, underscores, hyphens, periods. */
export const loadBalancerNameSchema = z
  .string()
  .trim()
  .min(1, "Name: enter 1 to 64 characters")
  .max(64, "Name: can contain at most 64 characters")
  .regex(/^[\p{L}\p{N}_.-]+$/u, "Name: can contain only letters, digits, underscores (_), hyphens (-) and periods (.)");

/** Description: up to 255 characters, no angle brackets. */
export const descriptionSchema = z
  .string()
  .max(255, "Description: can contain at most 255 characters")
  .regex(/^[^<>]*$/, "Description: cannot contain angle brackets (< and >)")
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, "Description: cannot contain control characters (U+0000 to U+001F)")
  .default("");

/** Tag key (table 2-2): 1–36 characters; letters, digits, _, -, Chinese characters; none of * < > \ = , | /. */
export const tagKeySchema = z
  .string()
  .min(1, "Tag key: cannot be empty")
  .max(36, "Tag key: can contain a maximum of 36 characters")
  .refine((v) => !FORBIDDEN_TAG_CHARS.test(v), "Tag key: cannot contain asterisks (*), angle brackets (< and >), backslashes (\\), equal signs (=), commas (,), vertical bars (|), or slashes (/)")
  .regex(/^[\p{L}\p{N}_-]+$/u, "Tag key: can contain only letters, digits, underscores (_), hyphens (-), and Chinese characters");

/** Tag value (table 2-2): up to 43 characters; letters, digits, _, ., -, Chinese characters. */
export const tagValueSchema = z
  .string()
  .max(43, "Tag value: can contain a maximum of 43 characters")
  .refine((v) => !FORBIDDEN_TAG_CHARS.test(v), "Tag value: cannot contain asterisks (*), angle brackets (< and >), backslashes (\\), equal signs (=), commas (,), vertical bars (|), or slashes (/)")
  .regex(/^[\p{L}\p{N}_.-]*$/u, "Tag value: can contain only letters, digits, underscores (_), dots (.), hyphens (-), and Chinese characters");

/** A list of tags: unique keys, at most MAX_TAGS. */
export const tagsSchema = z
  .array(z.object({ key: tagKeySchema, value: tagValueSchema.default("") }))
  .max(MAX_TAGS, `Tag: a load balancer can have at most ${MAX_TAGS} tags`)
  .superRefine((tags, ctx) => {
    const seen = new Set<string>();
    tags.forEach((tag, index) => {
      if (seen.has(tag.key)) ctx.addIssue({ code: "custom", path: [index, "key"], message: `Tag key: "${tag.key}" is used twice; keys must be unique for the same load balancer` });
      seen.add(tag.key);
    });
  })
  .default([]);

/** Bandwidth in Mbit/s. */
export const bandwidthSchema = z
  .number({ error: "Bandwidth: enter a number" })
  .int("Bandwidth: must be a whole number of Mbit/s")
  .min(BANDWIDTH_MIN, `Bandwidth: must be between ${BANDWIDTH_MIN} and ${BANDWIDTH_MAX} Mbit/s`)
  .max(BANDWIDTH_MAX, `Bandwidth: must be between ${BANDWIDTH_MIN} and ${BANDWIDTH_MAX} Mbit/s`);

/** EIP choice of table 2-1: a new EIP from a pool, or an existing unbound one. */
export const eipChoiceSchema = z.discriminatedUnion("mode", [
  z.object({
    mode: z.literal("new"),
    eipType: z.literal("dynamic_bgp", { error: "EIP Type: the only type is Dynamic BGP" }).default("dynamic_bgp"),
    bandwidthMbit: bandwidthSchema,
    /** Pool to allocate from; default: the region's first pool. */
    eipPoolId: z.string().optional(),
  }),
  z.object({ mode: z.literal("existing"), eipId: z.string().min(1, "EIP: select an EIP") }),
]);

/** Create Elastic Load Balancer (table 2-1). */
export const createLoadBalancerSchema = z
  .object({
    networkType: z.enum(["public", "private"], { error: "Network Type: choose Public network or Private network" }),
    vpcId: z.string().min(1, "VPC: select a VPC"),
    subnetId: z.string().min(1, "Subnet: select a subnet"),
    /** Empty = automatic IP address allocation. */
    privateIp: z.string().trim().optional(),
    eip: eipChoiceSchema.optional(),
    name: loadBalancerNameSchema,
    /** Enterprise project; default the one selected in the upper left. */
    projectId: z.string().optional(),
    description: descriptionSchema,
    tags: tagsSchema,
  })
  .superRefine((value, ctx) => {
    if (value.networkType === "public" && !value.eip)
      ctx.addIssue({ code: "custom", path: ["eip"], message: "EIP: a public network load balancer needs a new or existing EIP" });
    if (value.networkType === "private" && value.eip)
      ctx.addIssue({ code: "custom", path: ["eip"], message: "EIP: a private network load balancer is created without an EIP (bind one later)" });
  });
export type CreateLoadBalancerInput = z.input<typeof createLoadBalancerSchema>;

/** Filters of the load balancer list (also used by export). */
export const listLoadBalancersSchema = z.object({
  name: z.string().trim().optional(),
  ip: z.string().trim().optional(),
  tag: z.string().trim().optional(),
  sortBy: z.enum(["name", "createdAt", "privateIp", "status"]).default("createdAt"),
  sortDirection: z.enum(["asc", "desc"]).default("desc"),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(500).default(10),
});
export type ListLoadBalancersInput = z.input<typeof listLoadBalancersSchema>;

/** Modify name/description/tags of a load balancer. */
export const updateLoadBalancerSchema = z.object({
  id: z.string().min(1),
  name: loadBalancerNameSchema.optional(),
  description: descriptionSchema.optional(),
  tags: tagsSchema.optional(),
});

/** Modify Bandwidth: the New Configuration step. */
export const modifyBandwidthSchema = z.object({ id: z.string().min(1), bandwidthMbit: bandwidthSchema });

/** Bind EIP dialog. */
export const bindEipSchema = z.object({ id: z.string().min(1), eipId: z.string().min(1, "EIP: select the EIP to be bound") });

/** An operation on one load balancer by id. */
export const loadBalancerIdSchema = z.object({ id: z.string().min(1) });

/** Delete: the user types the name to confirm. */
export const deleteLoadBalancerSchema = z.object({ id: z.string().min(1), confirmName: z.string() });
