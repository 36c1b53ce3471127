import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { regions, settings } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { createRegion } from "../region/create-region";
import { deleteRegion } from "../region/delete-region";
import { resolveScope } from "./resolve-scope";

let bed: ServiceTestBed;
let localId: string;
beforeAll(async () => {
  bed = await createServiceTestBed();
  localId = (await bed.ctx.db.select().from(regions).where(eq(regions.code, "local-1")))[0]!.id;
});
afterAll(async () => {
  await bed?.close();
});

const regionWithoutCookie = async () => (await resolveScope(bed.ctx.db, {})).regionId;

describe("default region (users without a region cookie)", () => {
  it("stays where it was when a region that sorts first is added", async () => {
    expect(await regionWithoutCookie()).toBe(localId);
    const first = await createRegion(bed.ctx, { code: "a-first", name: "Sorts first" });
    expect(await regionWithoutCookie()).toBe(localId);
    expect((await resolveScope(bed.ctx.db, { regionId: "\u0000not-an-id" })).regionId).toBe(localId);
    expect((await resolveScope(bed.ctx.db, { regionId: first.id })).regionId).toBe(first.id);
  });

  it("is stored explicitly, also when the first region is added before anyone resolved a scope", async () => {
    // An installation from before the setting: its users were in the first region by code (a-first now).
    await bed.ctx.db.delete(settings).where(eq(settings.key, "defaultRegionId"));
    const [aFirst] = await bed.ctx.db.select().from(regions).where(eq(regions.code, "a-first"));
    await createRegion(bed.ctx, { code: "0-earliest", name: "Sorts before all" });
    const [row] = await bed.ctx.db.select().from(settings).where(eq(settings.key, "defaultRegionId"));
    expect(row?.value).toBe(aFirst!.id);
    expect(await regionWithoutCookie()).toBe(aFirst!.id);
  });

  it("moves to a remaining region when the default region is deleted, and stays there", async () => {
    await bed.ctx.db.update(settings).set({ value: (await createRegion(bed.ctx, { code: "z-empty", name: "Empty" })).id }).where(eq(settings.key, "defaultRegionId"));
    const emptyId = (await bed.ctx.db.select().from(settings).where(eq(settings.key, "defaultRegionId")))[0]!.value as string;
    expect(await regionWithoutCookie()).toBe(emptyId);
    await deleteRegion(bed.ctx, { id: emptyId });
    const moved = await regionWithoutCookie();
    expect(moved).not.toBe(emptyId);
    await createRegion(bed.ctx, { code: "00-newest-first", name: "Newest" });
    expect(await regionWithoutCookie()).toBe(moved);
  });
});
