import { eq } from "drizzle-orm";
import type { DatabaseConnection } from "@/db/client";
import { createTestDatabase } from "@/db/test-database";
import { subnets, users, vpcs } from "@/db/schema";
import { DEFAULTS, seedDefaults } from "../bootstrap/seed";
import { resolveScope } from "./scope/resolve-scope";
import type { ServiceContext } from "./context";

/** A seeded test database with an administrator's ServiceContext and the default VPC/subnet ids. */
export interface ServiceTestBed {
  connection: DatabaseConnection;
  ctx: ServiceContext;
  vpcId: string;
  subnetId: string;
  close(): Promise<void>;
}

/** Creates a fresh database (PGlite temp folder, or PostgreSQL when DATABASE_URL is set), seeded. */
export async function createServiceTestBed(): Promise<ServiceTestBed> {
  const connection = await createTestDatabase();
  const db = connection.db;
  await seedDefaults(db, { adminPassword: "test-admin-password" });
  const [admin] = await db.select().from(users).where(eq(users.username, DEFAULTS.adminUsername));
  const [vpc] = await db.select().from(vpcs).where(eq(vpcs.name, DEFAULTS.vpcName));
  const [subnet] = await db.select().from(subnets).where(eq(subnets.vpcId, vpc!.id));
  const scope = await resolveScope(db, {});
  return {
    connection,
    ctx: { db, user: { id: admin!.id, username: admin!.username, role: admin!.role }, scope },
    vpcId: vpc!.id,
    subnetId: subnet!.id,
    close: () => connection.close(),
  };
}
