import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { regions } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../services/test-support";
import { commitConfigChange } from "./commit-config-change";
import { observeTransactions } from "../services/observe-transactions";

let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
});

const regionNamed = async (name: string) => bed.ctx.db.select().from(regions).where(eq(regions.name, name));

describe("commitConfigChange", () => {
  it("commits the transaction, then signals the change once, and returns the result", async () => {
    const { ctx, events } = observeTransactions(bed.ctx);
    const result = await commitConfigChange(ctx, async (tx) => {
      await tx.insert(regions).values({ code: "committed-1", name: "committed-region" });
      return "done";
    });
    expect(result).toBe("done");
    expect(events).toEqual(["commit", "changed"]);
    expect(await regionNamed("committed-region")).toHaveLength(1);
  });

  it("signals nothing when the transaction throws, and rolls it back", async () => {
    const { ctx, events } = observeTransactions(bed.ctx);
    await expect(
      commitConfigChange(ctx, async (tx) => {
        await tx.insert(regions).values({ code: "rolled-back-1", name: "rolled-back-region" });
        throw new Error("refused half-way");
      }),
    ).rejects.toThrow("refused half-way");
    expect(events).toEqual(["rollback"]);
    expect(await regionNamed("rolled-back-region")).toEqual([]);
  });
});
