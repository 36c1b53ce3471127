import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { loadBalancers, traces, users } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../services/test-support";
import { createCaller } from "./root";

let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
});

const admin = () => createCaller({ ...bed.ctx, sourceIp: "127.0.0.7" });
const tracesOf = (username: string) => bed.ctx.db.select().from(traces).where(eq(traces.resourceName, username));
const userRow = async (username: string) => (await bed.ctx.db.select().from(users).where(eq(users.username, username)))[0];

function deep(levels: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < levels; i++) value = { next: value };
  return value;
}
const cycle = (): unknown => {
  const a: Record<string, unknown> = { name: "a" };
  a.self = a;
  return a;
};

describe("the audit trail cannot be skipped", () => {
  const hostile: Array<[string, () => unknown]> = [
    ["a BigInt", () => 10n],
    ["an invalid Date", () => new Date(Number.NaN)],
    ["U+0000", () => "a\u0000b"],
    ["nesting 5,000 deep", () => deep(5000)],
    ["a cycle", cycle],
  ];
  hostile.forEach(([label, extra], index) => {
    it(`user.create with ${label} in an extra field is rejected or traced, never silently done`, async () => {
      const username = `hostile-${index}`;
      const input = { username, role: "admin", password: "long-enough-password", meta: extra() } as never;
      const outcome = await admin().user.create(input).then(() => "ok", (error: { code?: string }) => error.code ?? "error");
      const written = await tracesOf(username);
      if (outcome === "ok") {
        expect(written).toHaveLength(1);
        expect(written[0]).toMatchObject({ traceName: "create user", code: "200" });
        expect(JSON.stringify(written[0]!.request)).not.toContain("long-enough-password");
      } else {
        expect(await userRow(username)).toBeUndefined();
      }
    });
  });

  it("stores the parsed input (extra fields dropped, password redacted), bounded", async () => {
    await admin().user.create({ username: "parsed-only", role: "readonly", password: "long-enough-password", junk: "x".repeat(100_000) } as never);
    const [trace] = await tracesOf("parsed-only");
    expect(trace!.request).toEqual({ username: "parsed-only", role: "readonly", password: "******" });
    expect(JSON.stringify(trace!.response).length).toBeLessThanOrEqual(16 * 1024 + 200);
  });

  it("a trace insert that fails leaves no user row and no config signal", async () => {
    await bed.ctx.db.execute(sql`create or replace function elb_test_refuse_trace() returns trigger language plpgsql as $$ begin raise exception 'trace store unavailable'; end $$`);
    await bed.ctx.db.execute(sql`create trigger elb_test_refuse_trace before insert on traces for each row execute function elb_test_refuse_trace()`);
    let signals = 0;
    const off = bed.onConfigChanged(() => signals++);
    try {
      await expect(admin().user.create({ username: "untraced", role: "admin", password: "long-enough-password" })).rejects.toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
      expect(await userRow("untraced")).toBeUndefined();
      await expect(admin().loadBalancer.create({ networkType: "private", vpcId: bed.vpcId, subnetId: bed.subnetId, name: "untraced-lb" })).rejects.toMatchObject({ code: "INTERNAL_SERVER_ERROR" });
      expect(await bed.ctx.db.select().from(loadBalancers).where(eq(loadBalancers.name, "untraced-lb"))).toEqual([]);
      expect(signals).toBe(0);
    } finally {
      off();
      await bed.ctx.db.execute(sql`drop trigger elb_test_refuse_trace on traces`);
    }
  });

  it("signals a config change once, after the trace committed", async () => {
    let seen: unknown[] = [];
    const off = bed.onConfigChanged(() => seen.push("changed"));
    try {
      await admin().loadBalancer.create({ networkType: "private", vpcId: bed.vpcId, subnetId: bed.subnetId, name: "signalled-lb" });
      expect(seen).toEqual(["changed"]);
      seen = [];
    } finally {
      off();
    }
  });

  it("a refused call's trace names the resource from the database, never from the rejected input", async () => {
    const lb = await admin().loadBalancer.create({ networkType: "private", vpcId: bed.vpcId, subnetId: bed.subnetId, name: "real-name" });
    await expect(admin().loadBalancer.update({ id: lb.id, name: "<img src=x>" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const [refused] = await bed.ctx.db.select().from(traces).where(eq(traces.traceName, "update loadbalancer"));
    expect(refused).toMatchObject({ resourceId: lb.id, resourceName: "real-name", code: "400" });
    await expect(admin().loadBalancer.create({ networkType: "private", vpcId: bed.vpcId, subnetId: bed.subnetId, name: "fake name!" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await bed.ctx.db.select().from(traces).where(eq(traces.resourceName, "fake name!"))).toEqual([]);
  });
});
