import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc, eq } from "drizzle-orm";
import { traces, users } from "@/db/schema";
import type { Database } from "@/db/client";
import { accessLogStreamFolder } from "@/engine/protocol/access-log-files";
import { testLine, writeTestFile } from "@/server/access-logs/test-lines";

// The real route handlers (tRPC and the download) on a real PGlite database in a temp data directory.
const dataDir = mkdtempSync(path.join(os.tmpdir(), "elb-access-route-"));
process.env.ELB_DATA_DIR = dataDir;
process.env.DATABASE_URL = "";
process.env.ELB_ADMIN_PASSWORD = "test-admin-password";

let db: Database;
let trpcPost: (req: Request) => Promise<Response>;
let trpcGet: (req: Request) => Promise<Response>;
let download: (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response>;
let adminCookie: string;
let lbId: string;
const base = "http://127.0.0.1:3000";
const call = async (procedure: string, input: unknown) => {
  const response = await trpcPost(new Request(`${base}/api/trpc/${procedure}`, { method: "POST", headers: { cookie: adminCookie, "content-type": "application/json" }, body: JSON.stringify({ json: input }) }));
  const body = await response.json();
  if (!response.ok) throw new Error(`${procedure}: ${JSON.stringify(body)}`);
  return body.result.data.json;
};
const query = async (procedure: string, input: unknown) => {
  const response = await trpcGet(new Request(`${base}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers: { cookie: adminCookie } }));
  return { status: response.status, body: await response.json() };
};
const get = (id: string, params: Record<string, string>, cookie = adminCookie) =>
  download(new Request(`${base}/api/load-balancers/${id}/access-logs?${new URLSearchParams(params)}`, { headers: { cookie } }), { params: Promise.resolve({ id }) });

const now = Date.now();
const minute = 60_000;

beforeAll(async () => {
  const { getDb } = await import("@/server/runtime");
  const { createSession } = await import("@/server/auth/sessions");
  db = await getDb();
  const trpc = await import("@/app/api/trpc/[trpc]/route");
  trpcPost = trpc.POST;
  trpcGet = trpc.GET;
  download = (await import("./route")).GET;
  const [admin] = await db.select().from(users).where(eq(users.username, "admin"));
  adminCookie = `elb_session=${(await createSession(db, admin!.id)).token}`;
  const vpcs = await query("vpc.list", {});
  const vpc = vpcs.body.result.data.json[0];
  const subnets = await query("subnet.list", { vpcId: vpc.id });
  lbId = (await call("loadBalancer.create", { networkType: "private", vpcId: vpc.id, subnetId: subnets.body.result.data.json[0].id, name: "elb-route" })).id;
});
afterAll(async () => {
  const { getConnection } = await import("@/server/runtime");
  await (await getConnection()).close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("access logs over HTTP", () => {
  it("configures through tRPC with the table 9-1 trace, searches, and downloads the selection as a .log file", async () => {
    const group = await call("logGroup.create", { name: "lg-route" });
    const stream = await call("logStream.create", { groupId: group.id, name: "ls-route" });
    expect(await call("accessLog.configure", { loadBalancerId: lbId, logStreamId: stream.id })).toMatchObject({ enabled: true, logStream: { id: stream.id } });
    const [trace] = await db.select().from(traces).orderBy(desc(traces.time)).limit(1);
    expect(trace).toMatchObject({ traceName: "create access log", resourceType: "accesslog", resourceId: lbId, resourceName: "elb-route" });

    const hour = Math.floor(now / 3_600_000) * 3_600_000;
    const folder = accessLogStreamFolder(path.join(dataDir, "engine"), group.id, stream.id);
    const at = (i: number) => now - (10 - i) * minute; // ten minutes ago … now
    const records = Array.from({ length: 11 }, (_, i) => ({ ms: at(i), status: i % 2 ? 200 : 503, path: i === 4 ? "/checkout" : "/", loadBalancerId: lbId }));
    for (const r of records) {
      const fileHour = Math.floor(r.ms / 3_600_000) * 3_600_000;
      writeTestFile(folder, fileHour, fileHour === hour ? 0 : 1, records.filter((x) => Math.floor(x.ms / 3_600_000) * 3_600_000 === fileHour).map((x) => testLine(x, stream.id)));
    }

    const page = await query("accessLog.search", { loadBalancerId: lbId, path: "/checkout" });
    expect(page.status).toBe(200);
    expect(page.body.result.data.json.records.map((r: { entry: { routerRequestUri: string; status: number } }) => [r.entry.routerRequestUri, r.entry.status])).toEqual([["/checkout", 503]]);

    const response = await get(lbId, { from: String(now - 20 * minute), to: String(now), status: "5xx" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="access-log_elb-route_\d{8}T\d{6}Z-\d{8}T\d{6}Z\.log"/);
    const lines = (await response.text()).split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toEqual(records.filter((r) => r.status === 503).map((r) => testLine(r, stream.id).slice(0, -1)));

    // Deleting the stream in use is refused naming the load balancer, and traced with the stream's name.
    await expect(call("logStream.delete", { id: stream.id })).rejects.toThrow(/Log stream ls-route is used by the access logging of load balancer elb-route;/);
    const [refused] = await db.select().from(traces).orderBy(desc(traces.time)).limit(1);
    expect(refused).toMatchObject({ traceName: "delete log stream", resourceType: "logstream", resourceId: stream.id, resourceName: "ls-route", status: "warning" });
    expect(await call("accessLog.disable", { loadBalancerId: lbId })).toMatchObject({ enabled: false });
    const [disabled] = await db.select().from(traces).orderBy(desc(traces.time)).limit(1);
    expect(disabled).toMatchObject({ traceName: "delete access log", resourceType: "accesslog", resourceId: lbId, status: "normal" });
  });

  it("answers 401 without a session and 400 naming the field for a bad filter", async () => {
    expect((await get(lbId, {}, "elb_session=nope")).status).toBe(401);
    const bad = await get(lbId, { status: "9xx" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "Status: 9xx is neither a code from 100 to 599 (404) nor a class 1xx to 5xx", field: "status" });
    const old = await get(lbId, { from: String(now - 8 * 86_400_000) });
    expect(old.status).toBe(400);
    expect((await old.json()).field).toBe("from");
    expect((await get("no-such-lb", {})).status).toBe(404);
  });
});
