import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { regions, vpcs } from "@/db/schema";
import { eq } from "drizzle-orm";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { listScopes } from "../scope/list-scopes";
import { createRegion } from "./create-region";
import { deleteRegion } from "./delete-region";
import { listRegions } from "./list-regions";
import { renameRegion } from "./rename-region";

let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
});

const allRegions = () => bed.ctx.db.select().from(regions).orderBy(regions.code);

describe("regions", () => {
  it("creates a region that the scope selector then offers, and renames it", async () => {
    const region = await createRegion(bed.ctx, { code: "local-2", name: "Second rack" });
    expect(region).toMatchObject({ code: "local-2", name: "Second rack", vpcCount: 0 });
    expect((await listScopes(bed.ctx)).regions.map((r) => r.code)).toEqual(["local-1", "local-2"]);
    expect(await renameRegion(bed.ctx, { id: region.id, name: "Rack B" })).toMatchObject({ code: "local-2", name: "Rack B" });
    const listed = await listRegions(bed.ctx);
    expect(listed.map((r) => [r.code, r.name, r.vpcCount, r.eipPoolCount])).toEqual([
      ["local-1", "Local (this host)", 1, 1],
      ["local-2", "Rack B", 0, 0],
    ]);
  });

  it("rejects bad codes and names, naming the field, and writes nothing", async () => {
    await expectAppError(() => createRegion(bed.ctx, { code: "", name: "x" }), { code: "BAD_REQUEST", field: "code", message: /Region code: enter 1 to 32/ }, allRegions);
    await expectAppError(() => createRegion(bed.ctx, { code: "Local_3", name: "x" }), { field: "code", message: /only lowercase letters, digits and hyphens/ }, allRegions);
    await expectAppError(() => createRegion(bed.ctx, { code: "-a", name: "x" }), { field: "code", message: /start and end with a letter or digit/ }, allRegions);
    await expectAppError(() => createRegion(bed.ctx, { code: "a".repeat(33), name: "x" }), { field: "code", message: /at most 32/ }, allRegions);
    await expectAppError(() => createRegion(bed.ctx, { code: "ok", name: "" }), { field: "name", message: /Region name: enter 1 to 64/ }, allRegions);
    await expectAppError(() => createRegion(bed.ctx, { code: "ok", name: "<b>" }), { field: "name", message: /angle brackets/ }, allRegions);
    await expectAppError(() => createRegion(bed.ctx, { code: "local-2", name: "dup" }), { code: "CONFLICT", field: "code", message: /local-2 already exists/ }, allRegions);
    await expectAppError(() => renameRegion(bed.ctx, { id: "nope", name: "x" }), { code: "NOT_FOUND", message: /Region: not found/ }, allRegions);
  });

  it("refuses deleting a region that still holds resources, or the last one", async () => {
    const [local1] = await bed.ctx.db.select().from(regions).where(eq(regions.code, "local-1"));
    await expectAppError(() => deleteRegion(bed.ctx, { id: local1!.id }), { code: "PRECONDITION_FAILED", message: /Region Local \(this host\) cannot be deleted: it still holds 1 VPC\(s\), 1 EIP pool\(s\)/ }, allRegions);
    const [local2] = await bed.ctx.db.select().from(regions).where(eq(regions.code, "local-2"));
    await bed.ctx.db.insert(vpcs).values({ regionId: local2!.id, name: "v", cidr: "10.0.0.0/8" });
    await expectAppError(() => deleteRegion(bed.ctx, { id: local2!.id }), { message: /still holds 1 VPC\(s\)/ }, allRegions);
    await bed.ctx.db.delete(vpcs).where(eq(vpcs.regionId, local2!.id));
    expect(await deleteRegion(bed.ctx, { id: local2!.id })).toEqual({ id: local2!.id, name: "Rack B" });
    await expectAppError(() => deleteRegion(bed.ctx, { id: local1!.id }), { code: "PRECONDITION_FAILED", message: /only region/ }, allRegions);
  });
});
