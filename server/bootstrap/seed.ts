import "server-only";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { eipPools, projects, regions, settings, subnets, users, vpcs } from "@/db/schema";
import { hashPassword } from "../auth/password";
import { passwordSchema } from "../services/user/user.schemas";

/** Names and ranges of what a fresh install starts with. */
export const DEFAULTS = {
  regionCode: "local-1",
  regionName: "Local (this host)",
  projectName: "default",
  vpcName: "vpc-default",
  vpcCidr: "127.10.0.0/16",
  subnetName: "subnet-default",
  subnetCidr: "127.10.0.0/16",
  eipPoolName: "eip-pool-default",
  eipPoolCidr: "127.20.0.0/16",
  adminUsername: "admin",
} as const;

/** Settings key recording that the defaults were created once: what an administrator deletes later stays deleted. */
export const SEEDED_KEY = "bootstrap.seeded";

/** What seeding created, for the start-up log. */
export interface SeedResult {
  /** Set only when the admin was created with a generated password (print it once). */
  generatedAdminPassword?: string;
}

/** Applies the password policy to ELB_ADMIN_PASSWORD; throws naming the variable and the rule. */
function checkAdminPassword(password: string): void {
  const result = passwordSchema.safeParse(password);
  if (!result.success) throw new Error(`ELB_ADMIN_PASSWORD: ${result.error.issues[0]!.message.replace(/^Password: /, "")}`);
}

/**
 * Idempotently creates the default region, enterprise project, VPC with a loopback subnet, EIP pool
 * on another loopback range, and the first administrator (`ELB_ADMIN_PASSWORD`, or a random password).
 * A weak `ELB_ADMIN_PASSWORD` is refused (nothing is written). Runs once per database: after that, a default the administrator deleted in Settings is not recreated.
 */
export async function seedDefaults(db: Database, env: { adminPassword?: string } = {}): Promise<SeedResult> {
  const result: SeedResult = {};
  await db.transaction(async (tx) => {
    const [seeded] = await tx.select().from(settings).where(eq(settings.key, SEEDED_KEY)).for("update");
    if (seeded) return;
    let [region] = await tx.select().from(regions).where(eq(regions.code, DEFAULTS.regionCode));
    if (!region) [region] = await tx.insert(regions).values({ code: DEFAULTS.regionCode, name: DEFAULTS.regionName }).returning();
    const [project] = await tx.select().from(projects).where(eq(projects.name, DEFAULTS.projectName));
    if (!project) await tx.insert(projects).values({ name: DEFAULTS.projectName, description: "Default enterprise project" });
    let [vpc] = await tx.select().from(vpcs).where(eq(vpcs.name, DEFAULTS.vpcName));
    if (!vpc) {
      [vpc] = await tx.insert(vpcs).values({ regionId: region!.id, name: DEFAULTS.vpcName, cidr: DEFAULTS.vpcCidr }).returning();
      await tx.insert(subnets).values({ vpcId: vpc!.id, name: DEFAULTS.subnetName, cidr: DEFAULTS.subnetCidr });
    }
    const [pool] = await tx.select().from(eipPools).where(eq(eipPools.name, DEFAULTS.eipPoolName));
    if (!pool) await tx.insert(eipPools).values({ regionId: region!.id, name: DEFAULTS.eipPoolName, cidr: DEFAULTS.eipPoolCidr });
    const [admin] = await tx.select().from(users).where(eq(users.username, DEFAULTS.adminUsername));
    if (!admin) {
      if (env.adminPassword) checkAdminPassword(env.adminPassword);
      const password = env.adminPassword || randomBytes(12).toString("base64url");
      if (!env.adminPassword) result.generatedAdminPassword = password;
      await tx.insert(users).values({ username: DEFAULTS.adminUsername, passwordHash: await hashPassword(password), role: "admin" });
    }
    await tx.insert(settings).values({ key: SEEDED_KEY, value: new Date().toISOString() }).onConflictDoNothing();
  });
  return result;
}
