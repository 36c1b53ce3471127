import { z } from "zod";
import { isIpv4Cidr, parseIpv4Cidr, prefixLength } from "../../networking/cidr";

/**
 * Input rules of VPCs, subnets and EIP pools (Settings > Networks). Shared by the services, the routers
 * and the forms, so client and server say the same thing.
 */

/** Shortest and longest mask a VPC, subnet or EIP pool may have. */
export const MIN_PREFIX = 8;
export const MAX_PREFIX = 29;

/** A name of a VPC, subnet or EIP pool: 1–64 letters, digits, underscores, hyphens, periods. */
export const networkNameSchema = (what: string) =>
  z
    .string({ error: `${what} name: enter 1 to 64 characters` })
    .trim()
    .min(1, `${what} name: enter 1 to 64 characters`)
    .max(64, `${what} name: can contain at most 64 characters`)
    .regex(/^[\p{L}\p{N}_.-]+$/u, `${what} name: can contain only letters, digits, underscores (_), hyphens (-) and periods (.)`);

/** An IPv4 CIDR block with a /8–/29 mask, normalised ("127.10.3.4/16" → "127.10.0.0/16"). */
export const cidrBlockSchema = z
  .string({ error: "IPv4 CIDR Block: enter a block such as 192.168.0.0/16" })
  .trim()
  .refine(isIpv4Cidr, "IPv4 CIDR Block: enter a block such as 192.168.0.0/16 (an IPv4 address, a slash and a mask length)")
  .transform((value) => parseIpv4Cidr(value).cidr)
  .refine((cidr) => {
    const prefix = prefixLength(parseIpv4Cidr(cidr));
    return prefix >= MIN_PREFIX && prefix <= MAX_PREFIX;
  }, `IPv4 CIDR Block: the mask length must be between ${MIN_PREFIX} and ${MAX_PREFIX}`);

/** Create VPC. */
export const createVpcSchema = z.object({ name: networkNameSchema("VPC"), cidr: cidrBlockSchema });

/** Create Subnet in a VPC: its block must lie inside the VPC's and overlap no sibling subnet. */
export const createSubnetSchema = z.object({ vpcId: z.string().min(1, "VPC: select a VPC"), name: networkNameSchema("Subnet"), cidr: cidrBlockSchema });

/** Create EIP Pool. */
export const createEipPoolSchema = z.object({ name: networkNameSchema("EIP pool"), cidr: cidrBlockSchema });

/** Subnets of one VPC. */
export const listSubnetsSchema = z.object({ vpcId: z.string().min(1, "VPC: select a VPC") });

/** An operation on one VPC, subnet or EIP pool by id. */
export const networkIdSchema = z.object({ id: z.string().min(1) });
