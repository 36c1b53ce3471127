import { eq } from "drizzle-orm";
import type { DatabaseConnection } from "@/db/client";
import { createTestDatabase } from "@/db/test-database";
import { subnets, users, vpcs } from "@/db/schema";
import { DEFAULTS, seedDefaults } from "../bootstrap/seed";
import { engineNotRunning } from "../control-plane/engine-view";
import { resolveScope } from "./scope/resolve-scope";
import type { ServiceContext } from "./context";

/** A seeded test database with an administrator's ServiceContext and the default VPC/subnet ids. */
export interface ServiceTestBed {
  connection: DatabaseConnection;
  /** The administrator's context: engine not running; its change signal reaches `onConfigChanged` listeners. */
  ctx: ServiceContext;
  vpcId: string;
  subnetId: string;
  /** Subscribes to the change signal of `ctx` (what the snapshot publisher would hear); returns the unsubscribe. */
  onConfigChanged(listener: () => void): () => void;
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
  const listeners = new Set<() => void>();
  return {
    connection,
    ctx: {
      db,
      user: { id: admin!.id, username: admin!.username, role: admin!.role },
      scope,
      engine: engineNotRunning,
      configChanged: () => listeners.forEach((listener) => listener()),
    },
    vpcId: vpc!.id,
    subnetId: subnet!.id,
    onConfigChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => connection.close(),
  };
}
