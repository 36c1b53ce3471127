import "server-only";
import { asc } from "drizzle-orm";
import { users, type UserRole } from "@/db/schema";
import type { ServiceContext } from "../context";

/** A user as Settings > Users lists it (never the password hash). `name` is the user name, for traces. */
export interface UserView {
  id: string;
  name: string;
  username: string;
  role: UserRole;
  createdAt: Date;
}

/** Every console user, by user name. */
export async function listUsers(ctx: ServiceContext): Promise<UserView[]> {
  const rows = await ctx.db.select({ id: users.id, username: users.username, role: users.role, createdAt: users.createdAt }).from(users).orderBy(asc(users.username));
  return rows.map((row) => ({ ...row, name: row.username }));
}
