import { z } from "zod";
import { idSchema, integerInRange, portSchema } from "../field-schemas";

/** Input rules of backend servers (guide 3.4 server weight, 4.3 add/remove). */

/** Default weight of a new backend server. */
export const DEFAULT_WEIGHT = 1;
/** At most this many backend servers in one Add. */
export const MAX_MEMBERS_PER_ADD = 100;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** IPv4 address of a backend server (not 0.0.0.0, broadcast or multicast). */
export const memberAddressSchema = z
  .string({ error: "IP Address: enter an IPv4 address such as 192.168.0.10" })
  .trim()
  .regex(IPV4, "IP Address: enter an IPv4 address such as 192.168.0.10")
  .refine((v) => v !== "0.0.0.0" && v !== "255.255.255.255", "IP Address: 0.0.0.0 and 255.255.255.255 cannot be backend servers")
  .refine((v) => {
    const first = Number(v.split(".")[0]);
    return first < 224 || first > 239;
  }, "IP Address: a multicast address (224.0.0.0 to 239.255.255.255) cannot be a backend server");

/** Weight 0–100: 0 receives no requests (guide 3.4). */
export const weightSchema = integerInRange("Weight", 0, 100);

/** Backend server name: up to 64 letters, digits, _, -, .; blank = the IP address. */
const memberNameSchema = z
  .string()
  .trim()
  .max(64, "Name: can contain at most 64 characters")
  .regex(/^[\p{L}\p{N}_.-]*$/u, "Name: can contain only letters, digits, underscores (_), hyphens (-) and periods (.)")
  .optional();

/** One backend server to add. */
export const newMemberSchema = z.object({
  name: memberNameSchema,
  address: memberAddressSchema,
  port: portSchema("Backend Port"),
  weight: weightSchema.default(DEFAULT_WEIGHT),
});

/** Add backend servers to a group (guide 4.3): address:port unique in the group and in the list. */
export const addMembersSchema = z.object({
  poolId: idSchema("Backend Server Group: select a backend server group"),
  members: z
    .array(newMemberSchema)
    .min(1, "Backend Servers: add at least one backend server")
    .max(MAX_MEMBERS_PER_ADD, `Backend Servers: add at most ${MAX_MEMBERS_PER_ADD} backend servers at a time`)
    .superRefine((members, ctx) => {
      const seen = new Set<string>();
      members.forEach((m, index) => {
        const key = `${m.address}:${m.port}`;
        if (seen.has(key)) ctx.addIssue({ code: "custom", path: [index, "port"], message: `Backend Port: ${key} is in the list twice` });
        seen.add(key);
      });
    }),
});
export type AddMembersInput = z.input<typeof addMembersSchema>;

/** Modify a backend server: its weight (the Weight column) and/or name. */
export const updateMemberSchema = z.object({
  id: idSchema("Backend Server: select a backend server"),
  name: memberNameSchema,
  weight: weightSchema.optional(),
});
export type UpdateMemberInput = z.input<typeof updateMemberSchema>;

/** Remove one or more backend servers of one group. */
export const removeMembersSchema = z.object({
  poolId: idSchema("Backend Server Group: select a backend server group"),
  ids: z.array(z.string().min(1)).min(1, "Backend Servers: select the backend servers to be removed").max(1000),
});

/** The backend servers of one group. */
export const listMembersSchema = z.object({ poolId: idSchema("Backend Server Group: select a backend server group") });
