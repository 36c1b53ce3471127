import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { count, desc, eq, sql } from "drizzle-orm";
import { traces, users } from "@/db/schema";
import type { Database } from "@/db/client";

// The real route handlers on a real PGlite database in a temp data directory.
const dataDir = mkdtempSync(path.join(os.tmpdir(), "elb-http-route-"));
process.env.ELB_DATA_DIR = dataDir;
process.env.DATABASE_URL = "";
process.env.ELB_ADMIN_PASSWORD = "test-admin-password";

let db: Database;
let trpc: (req: Request) => Promise<Response>;
let exportRoute: (req: Request) => Promise<Response>;
let adminCookie: string;
let viewerCookie: string;
const url = (p: string) => `http://127.0.0.1:3000/api/trpc/${p}`;
const post = (p: string, body: BodyInit, cookie = adminCookie, init: RequestInit = {}) =>
  trpc(new Request(url(p), { method: "POST", headers: { cookie, "content-type": "application/json" }, body, ...init }));
const traceCount = async () => (await db.select({ n: count() }).from(traces))[0]!.n;

beforeAll(async () => {
  const { getDb } = await import("../runtime");
  const { createSession } = await import("../auth/sessions");
  db = await getDb();
  trpc = (await import("@/app/api/trpc/[trpc]/route")).POST;
  exportRoute = (await import("@/app/api/load-balancers/export/route")).GET;
  const [admin] = await db.select().from(users).where(eq(users.username, "admin"));
  adminCookie = `elb_session=${(await createSession(db, admin!.id)).token}`;
  const [viewer] = await db.insert(users).values({ username: "viewer", passwordHash: "x", role: "readonly" }).returning();
  viewerCookie = `elb_session=${(await createSession(db, viewer!.id)).token}`;
});
afterAll(async () => {
  const { getConnection } = await import("../runtime");
  await (await getConnection()).close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("tRPC HTTP front: bounded bodies", () => {
  it("answers 413 to a 30 MB body and stores nothing", async () => {
    const before = await traceCount();
    for (const cookie of [adminCookie, viewerCookie]) {
      const response = await post("loadBalancer.create", JSON.stringify({ json: { name: "x".repeat(30_000_000) } }), cookie);
      expect(response.status).toBe(413);
    }
    expect(await traceCount()).toBe(before);
  });

  it("stops reading a streamed body past the limit", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        if (pulled > 30_000_000) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const response = await post("loadBalancer.create", body, adminCookie, { duplex: "half" } as RequestInit);
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(4 * 1024 * 1024);
  });

  it("a refused call just under the limit stores a bounded trace", async () => {
    for (const cookie of [adminCookie, viewerCookie]) {
      const response = await post("loadBalancer.create", JSON.stringify({ json: { name: "x".repeat(1_000_000) } }), cookie);
      expect([400, 403]).toContain(response.status);
      const [trace] = await db.select().from(traces).orderBy(desc(traces.time)).limit(1);
      expect(JSON.stringify(trace!.request).length).toBeLessThanOrEqual(16 * 1024);
      expect(JSON.stringify(trace!.response).length).toBeLessThanOrEqual(16 * 1024);
    }
  });

  it("caps batches at 20 calls", async () => {
    const inputs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), { json: {} }]));
    const batch = (n: number) => url(`${Array(n).fill("loadBalancer.list").join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs(n)))}`);
    expect((await trpc(new Request(batch(20), { headers: { cookie: adminCookie } }))).status).toBe(200);
    expect((await trpc(new Request(batch(21), { headers: { cookie: adminCookie } }))).status).toBe(400);
  });
});

describe("tRPC HTTP front: hostile strings and internal errors", () => {
  it("NUL in a load balancer description answers 400 naming the field", async () => {
    const response = await post("loadBalancer.create", JSON.stringify({ json: { networkType: "private", vpcId: "x", subnetId: "y", name: "ok", description: "a\u0000b" } }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.json.data.field).toBe("description");
  });

  it("a control character in a description answers 400 naming the field", async () => {
    const response = await post("project.create", JSON.stringify({ json: { name: "bell", description: "ring\u0007" } }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.json.data.field).toBe("description");
  });

  it("an internal error answers a request id and no SQL; the id is in the log", async () => {
    await db.execute(sql`create or replace function elb_test_boom() returns trigger language plpgsql as $$ begin raise exception 'boom'; end $$`);
    await db.execute(sql`create trigger elb_test_boom before insert on projects for each row execute function elb_test_boom()`);
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const response = await post("project.create", JSON.stringify({ json: { name: "boom-project", description: "" } }));
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(text).not.toMatch(/insert into|select |boom-project|params|at .*\.ts/i);
      const id = /request id ([0-9a-f-]{36})/.exec(text)?.[1];
      expect(id).toBeDefined();
      expect(log.mock.calls.map((call) => call.map(String).join(" ")).join("\n")).toContain(id);
    } finally {
      log.mockRestore();
      await db.execute(sql`drop trigger elb_test_boom on projects`);
    }
  });
});

describe("malformed cookies count as absent", () => {
  const list = (cookie: string) => trpc(new Request(url(`loadBalancer.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`), { headers: { cookie } }));
  const exported = (cookie: string) => exportRoute(new Request("http://127.0.0.1:3000/api/load-balancers/export?format=csv", { headers: { cookie } }));
  it.each(["elb_session=%", "elb_session=%00", "elb_session=a%00b; elb_region=%"])("%s → 401, not 500", async (cookie) => {
    expect((await list(cookie)).status).toBe(401);
    expect((await exported(cookie)).status).toBe(401);
  });
  it.each(["elb_region=%", "elb_project=%00", "elb_region=not-a-uuid; elb_project=%E0%A4%A"])("a session with %s still works", async (bad) => {
    expect((await list(`${adminCookie}; ${bad}`)).status).toBe(200);
    expect((await exported(`${adminCookie}; ${bad}`)).status).toBe(200);
  });
});

describe("tRPC HTTP front: the session cookie by protocol", () => {
  const me = (cookie: string, proto: string) =>
    trpc(new Request(url(`loadBalancer.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`), { method: "GET", headers: { cookie, "x-forwarded-proto": proto } }));

  it("over HTTPS reads __Host-elb_session (and not the plain name); over HTTP reads elb_session", async () => {
    const token = adminCookie.split("=")[1]!;
    expect((await me(`__Host-elb_session=${token}`, "https")).status).toBe(200);
    expect((await me(`elb_session=${token}`, "https")).status).toBe(401);
    expect((await me(`elb_session=${token}`, "http")).status).toBe(200);
    expect((await me(`__Host-elb_session=${token}`, "http")).status).toBe(401);
  });
});
