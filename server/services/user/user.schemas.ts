import { z } from "zod";

/** Input rules of console users (Settings > Users). */

/** Shortest password accepted. */
export const PASSWORD_MIN = 8;
/** Longest password accepted (scrypt hashes any length; this only bounds the request). */
export const PASSWORD_MAX = 128;

/** User name: 1–32 letters, digits, underscores, periods, hyphens. */
export const usernameSchema = z
  .string({ error: "User name: enter 1 to 32 characters" })
  .trim()
  .min(1, "User name: enter 1 to 32 characters")
  .max(32, "User name: can contain at most 32 characters")
  .regex(/^[A-Za-z0-9_.-]+$/, "User name: can contain only letters, digits, underscores (_), periods (.) and hyphens (-)");

/** The password policy (8–128 characters), its messages naming the field by `label`. */
export const passwordRule = (label: string) =>
  z
    .string({ error: `${label}: enter at least ${PASSWORD_MIN} characters` })
    .min(PASSWORD_MIN, `${label}: must contain at least ${PASSWORD_MIN} characters`)
    .max(PASSWORD_MAX, `${label}: can contain at most ${PASSWORD_MAX} characters`);

/** Password: 8–128 characters. */
export const passwordSchema = passwordRule("Password");

/** Role: Administrator (changes everything) or Read-only (sees everything, changes nothing). */
export const roleSchema = z.enum(["admin", "readonly"], { error: "Role: choose Administrator or Read-only" });

/** Create User. */
export const createUserSchema = z.object({ username: usernameSchema, role: roleSchema, password: passwordSchema });

/** Modify a user: reset the password and/or change the role. */
export const updateUserSchema = z
  .object({ id: z.string().min(1), password: passwordSchema.optional(), role: roleSchema.optional() })
  .refine((v) => v.password !== undefined || v.role !== undefined, { message: "Enter a new password or choose a role", path: ["password"] });

/** An operation on one user by id. */
export const userIdSchema = z.object({ id: z.string().min(1) });

/** Change Password (your own): the current password, and a new one that follows the policy and differs. */
export const changePasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: "Current Password: enter your current password" })
      .min(1, "Current Password: enter your current password")
      .max(PASSWORD_MAX, `Current Password: can contain at most ${PASSWORD_MAX} characters`),
    newPassword: passwordRule("New Password"),
  })
  .refine((v) => v.newPassword !== v.currentPassword, { message: "New Password: must differ from the current password", path: ["newPassword"] });
