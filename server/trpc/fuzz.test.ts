import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createServiceTestBed, type ServiceTestBed } from "../services/test-support";
import { appRouter, createCaller } from "./root";

// Random and hostile inputs to every procedure as an administrator: no call may fail with an internal
// error, and the data's invariants hold afterwards. Seeded (FUZZ_SEED=<n> replays a run), bounded in time.
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const MAX_CALLS = 3000;
const BUDGET_MS = 20_000;

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const paths = Object.keys(appRouter._def.procedures as Record<string, unknown>);
const KEYS = ["id", "name", "description", "loadBalancerId", "listenerId", "poolId", "memberId", "vpcId", "subnetId", "eipId", "eipPoolId", "regionId", "projectId", "networkType", "privateIp", "address", "port", "protocolPort", "frontendProtocol", "backendProtocol", "protocol", "algorithm", "weight", "bandwidthMbit", "tags", "key", "value", "eip", "mode", "confirmName", "cidr", "gateway", "code", "username", "password", "role", "page", "pageSize", "sortBy", "sortDirection", "members", "enabled", "interval", "timeout", "maxRetries", "searchBy", "searchValue", "status", "from", "to", "loadBalancerQuota", "listenerQuota", "filter", "ip", "tag"];

let bed: ServiceTestBed;
const ids: string[] = [];
beforeAll(async () => {
  bed = await createServiceTestBed();
  const admin = createCaller({ ...bed.ctx, sourceIp: "127.0.0.1" });
  const lb = await admin.loadBalancer.create({ networkType: "public", vpcId: bed.vpcId, subnetId: bed.subnetId, name: "fuzz-lb", eip: { mode: "new", bandwidthMbit: 5 } });
  ids.push(lb.id, bed.vpcId, bed.subnetId, bed.ctx.scope.regionId, bed.ctx.scope.projectId, bed.ctx.user.id);
  const rows = await bed.ctx.db.execute(sql`select id from eips union all select id from eip_pools union all select id from listeners union all select id from pools`);
  for (const row of (rows as unknown as { rows: { id: string }[] }).rows ?? []) ids.push(row.id);
});
afterAll(async () => {
  await bed?.close();
});

function generator(random: () => number) {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const strings = () => pick(["", "a\u0000b", "x".repeat(100_000), "%_\\", "<script>", " ", "\u0007\u001b", "\ud800", "名前", "127.10.0.1", "0.0.0.0/0", "-1", "TCP", "HTTP", "new", "existing", "admin", crypto.randomUUID(), pick(ids.length ? ids : ["none"]), "fuzz-lb"]);
  const numbers = () => pick([0, -1, 1, 80, 65535, 65536, 2 ** 31, -(2 ** 53), 1e308, Number.NaN, Number.POSITIVE_INFINITY, -0, 0.5, Math.floor(random() * 70_000)]);
  const value = (depth: number): unknown => {
    const r = random();
    if (r < 0.3) return strings();
    if (r < 0.5) return numbers();
    if (r < 0.55) return pick([true, false, null, undefined]);
    if (r < 0.6) return new Date(pick([0, Number.NaN, 8.64e15]));
    if (r < 0.62) return deep(pick([10, 500, 5000]));
    if (depth > 2) return strings();
    if (r < 0.72) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    return object(depth + 1);
  };
  const object = (depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const n = Math.floor(random() * 6);
    for (let i = 0; i < n; i++) out[pick(KEYS)] = value(depth);
    return out;
  };
  const deep = (levels: number): unknown => {
    let v: unknown = "bottom";
    for (let i = 0; i < levels; i++) v = { next: v };
    return v;
  };
  // A plausible input shared by many procedures (zod drops what a procedure does not know), with one to
  // three fields replaced by hostile values: reaches the services instead of stopping at the first field.
  const plausible = (): Record<string, unknown> => ({
    id: pick(ids), name: `fz-${Math.floor(random() * 1000)}`, description: "", networkType: "private", vpcId: bed.vpcId, subnetId: bed.subnetId,
    loadBalancerId: ids[0], listenerId: pick(ids), poolId: pick(ids), protocol: pick(["TCP", "UDP", "HTTP"]), port: 1 + Math.floor(random() * 65535),
    frontendProtocol: pick(["TCP", "UDP", "HTTP"]), frontendPort: 1 + Math.floor(random() * 65535), backendProtocol: pick(["TCP", "UDP", "HTTP"]),
    algorithm: "round_robin", weight: 1, address: `127.10.${Math.floor(random() * 255)}.${1 + Math.floor(random() * 250)}`, bandwidthMbit: 1 + Math.floor(random() * 10),
    confirmName: "fuzz-lb", code: `fz-${Math.floor(random() * 1000)}`, cidr: "127.30.0.0/24", username: `fz${Math.floor(random() * 1000)}`, password: "long-enough-pw", role: "readonly",
    loadBalancerQuota: Math.floor(random() * 60), listenerQuota: Math.floor(random() * 60), eip: { mode: "new", bandwidthMbit: 1 }, tags: [],
  });
  const input = () => {
    const r = random();
    if (r < 0.15) return value(0);
    if (r < 0.35) return object(0);
    const base = plausible();
    for (let i = 0, n = 1 + Math.floor(random() * 3); i < n; i++) base[pick(Object.keys(base))] = value(1);
    return base;
  };
  return { path: () => pick(paths), input };
}

async function invariantViolations(): Promise<string[]> {
  const query = async (text: ReturnType<typeof sql>) => ((await bed.ctx.db.execute(text)) as unknown as { rows: unknown[] }).rows;
  const problems: string[] = [];
  const check = async (label: string, text: ReturnType<typeof sql>) => {
    const rows = await query(text);
    if (rows.length) problems.push(`${label}: ${JSON.stringify(rows.slice(0, 3))}`);
  };
  await check("listener without its default group on its load balancer", sql`select l.id from listeners l left join pools p on p.id = l.default_pool_id where p.id is null or p.load_balancer_id <> l.load_balancer_id`);
  await check("EIP bound twice", sql`select load_balancer_id from eips where load_balancer_id is not null group by load_balancer_id having count(*) > 1`);
  await check("load balancers over quota", sql`select p.id from projects p where (select count(*) from load_balancers b where b.project_id = p.id) > p.load_balancer_quota`);
  await check("listeners over quota", sql`select p.id from projects p where (select count(*) from listeners l join load_balancers b on b.id = l.load_balancer_id where b.project_id = p.id) > p.listener_quota`);
  await check("private IP used twice", sql`select subnet_id, private_ip from load_balancers group by subnet_id, private_ip having count(*) > 1`);
  return problems;
}

describe(`fuzz every procedure (seed ${SEED}; replay with FUZZ_SEED=${SEED})`, () => {
  it("answers no internal error and keeps the invariants", async () => {
    expect(await invariantViolations()).toEqual([]);
    const random = prng(SEED);
    const gen = generator(random);
    const admin = createCaller({ ...bed.ctx, sourceIp: "127.0.0.1" });
    const internal: string[] = [];
    const deadline = Date.now() + BUDGET_MS;
    let calls = 0;
    let succeeded = 0;
    for (; calls < MAX_CALLS && Date.now() < deadline; calls++) {
      const path = gen.path();
      const input = gen.input();
      const procedure = path.split(".").reduce((node: unknown, key) => (node as Record<string, unknown>)[key], admin) as (input: unknown) => Promise<unknown>;
      await procedure(input).then(() => void succeeded++, (error: { code?: string; message?: string }) => {
        if (error.code === "INTERNAL_SERVER_ERROR" || !error.code) internal.push(`${path}: ${String(error.message).slice(0, 200)} ← ${JSON.stringify(input, (_k, v) => (typeof v === "bigint" ? `${v}n` : typeof v === "string" && v.length > 80 ? `${v.slice(0, 80)}…` : v))?.slice(0, 300)}`);
      });
    }
    console.log(`[fuzz] seed ${SEED}: ${calls} calls, ${succeeded} succeeded, ${internal.length} internal errors`);
    expect(internal, `seed ${SEED}`).toEqual([]);
    expect(await invariantViolations(), `seed ${SEED}`).toEqual([]);
    expect(calls).toBeGreaterThan(200);
  }, BUDGET_MS + 30_000);
});
