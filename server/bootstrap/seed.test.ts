import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { DatabaseConnection } from "@/db/client";
import { createTestDatabase } from "@/db/test-database";
import { eipPools, projects, regions, settings, subnets, users, vpcs } from "@/db/schema";
import { DEFAULTS, SEEDED_KEY, seedDefaults } from "./seed";

let connection: DatabaseConnection;
beforeAll(async () => {
  connection = await createTestDatabase();
});
afterAll(async () => {
  await connection?.close();
});

describe("seedDefaults", () => {
  it("creates the defaults once and does not bring back what an administrator deleted", async () => {
    const db = connection.db;
    const first = await seedDefaults(db, {});
    expect(first.generatedAdminPassword).toBeTruthy();
    expect(await db.select().from(settings).where(eq(settings.key, SEEDED_KEY))).toHaveLength(1);
    expect((await db.select().from(regions)).map((r) => r.code)).toEqual([DEFAULTS.regionCode]);
    // The administrator removes the default EIP pool and adds another project, then deletes "default".
    await db.delete(eipPools).where(eq(eipPools.name, DEFAULTS.eipPoolName));
    await db.insert(projects).values({ name: "prod" });
    await db.delete(projects).where(eq(projects.name, DEFAULTS.projectName));
    const second = await seedDefaults(db, { adminPassword: "another-password" });
    expect(second.generatedAdminPassword).toBeUndefined();
    expect(await db.select().from(eipPools)).toEqual([]);
    expect((await db.select().from(projects)).map((p) => p.name)).toEqual(["prod"]);
    expect(await db.select().from(users)).toHaveLength(1);
    expect(await db.select().from(vpcs)).toHaveLength(1);
    expect(await db.select().from(subnets)).toHaveLength(1);
  });

  it("refuses an ELB_ADMIN_PASSWORD the password policy refuses, naming the variable and the rule, and writes nothing", async () => {
    const fresh = await createTestDatabase();
    try {
      await expect(seedDefaults(fresh.db, { adminPassword: "short" })).rejects.toThrow(/ELB_ADMIN_PASSWORD: must contain at least 8 characters/);
      await expect(seedDefaults(fresh.db, { adminPassword: "x".repeat(129) })).rejects.toThrow(/ELB_ADMIN_PASSWORD: can contain at most 128 characters/);
      expect(await fresh.db.select().from(users)).toEqual([]);
      expect(await fresh.db.select().from(settings)).toEqual([]);
      await seedDefaults(fresh.db, { adminPassword: "long-enough-password" });
      expect(await fresh.db.select().from(users)).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });
});
