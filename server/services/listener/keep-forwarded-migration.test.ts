import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { listeners } from "@/db/schema";
import { MIGRATIONS_FOLDER } from "@/db/client";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { createTestLoadBalancer } from "./test-fixtures";

/**
 * Migration 0007: listeners that existed before the client IP settings sent X-Forwarded-Port and
 * X-Forwarded-Host always; after an upgrade they still do (0006's defaults are for new listeners). The
 * statement is run on rows as 0006 left them.
 */
let bed: ServiceTestBed;
let lbId: string;
beforeAll(async () => {
  bed = await createServiceTestBed();
  lbId = (await createTestLoadBalancer(bed, "elb-upgrade")).id;
});
afterAll(async () => {
  await bed?.close();
});

describe("migration 0007 (keep X-Forwarded-Port and -Host of existing listeners)", () => {
  it("switches both on for existing HTTP and HTTPS listeners and leaves TCP/UDP listeners as they were", async () => {
    const db = bed.ctx.db;
    const rows = await db
      .insert(listeners)
      .values([
        { loadBalancerId: lbId, name: "old-http", protocol: "HTTP", port: 80, portClass: "STREAM" },
        { loadBalancerId: lbId, name: "old-https", protocol: "HTTPS", port: 443, portClass: "STREAM" },
        { loadBalancerId: lbId, name: "old-tcp", protocol: "TCP", port: 3306, portClass: "STREAM" },
        { loadBalancerId: lbId, name: "old-udp", protocol: "UDP", port: 53, portClass: "UDP" },
      ])
      .returning();
    for (const row of rows) expect([row.xForwardedPort, row.xForwardedHost]).toEqual([false, false]); // as 0006 leaves them
    await db.execute(sql.raw(readFileSync(path.join(MIGRATIONS_FOLDER, "0007_keep-forwarded-port-host.sql"), "utf8")));
    const after = async (name: string) => (await db.select().from(listeners).where(eq(listeners.name, name)))[0]!;
    for (const name of ["old-http", "old-https"]) expect(await after(name)).toMatchObject({ xForwardedPort: true, xForwardedHost: true, xForwardedProto: true });
    for (const name of ["old-tcp", "old-udp"]) expect(await after(name)).toMatchObject({ xForwardedPort: false, xForwardedHost: false });
  });
});
