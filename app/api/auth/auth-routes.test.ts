import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc, eq } from "drizzle-orm";
import { sessions, traces } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "@/server/services/test-support";
import { findSessionUser } from "@/server/auth/sessions";
import { POST as login } from "./login/route";
import { POST as logout } from "./logout/route";

/** The real route handlers, on a real test database put in the console runtime's place. */
let bed: ServiceTestBed;
const runtime = globalThis as unknown as { __elbRuntime?: { connection: Promise<unknown> } };
beforeAll(async () => {
  bed = await createServiceTestBed();
  runtime.__elbRuntime = { connection: Promise.resolve(bed.connection) };
});
afterAll(async () => {
  delete runtime.__elbRuntime;
  await bed?.close();
});

const RIGHT = "test-admin-password";
const loginRequest = (body: unknown, { https = false, contentType = "application/json", ip = "127.0.8.1" } = {}) =>
  new Request(`${https ? "https" : "http"}://console.test/api/auth/login`, {
    method: "POST",
    headers: { "content-type": contentType, "x-forwarded-for": ip },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const traceRows = async (name: string) => bed.ctx.db.select().from(traces).where(eq(traces.traceName, name)).orderBy(desc(traces.time));

describe("POST /api/auth/login and /api/auth/logout", () => {
  it("requires Content-Type: application/json (415 otherwise; a cross-site text/plain form cannot log in)", async () => {
    const response = await login(loginRequest({ username: "admin", password: RIGHT }, { contentType: "text/plain" }));
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: /Content-Type: must be application\/json/ });
    expect(response.headers.get("set-cookie")).toBeNull();
    expect((await login(loginRequest({ username: "admin", password: RIGHT }, { contentType: "application/json; charset=utf-8" }))).status).toBe(200);
  });

  it("traces success, failure and throttled log-ins, never storing the password", async () => {
    expect((await login(loginRequest({ username: "admin", password: RIGHT }))).status).toBe(200);
    expect((await traceRows("log in"))[0]).toMatchObject({ resourceType: "user", resourceName: "admin", userName: "admin", sourceIp: "127.0.8.1", code: "200", status: "normal" });
    for (let i = 0; i < 3; i++) expect((await login(loginRequest({ username: "ghost", password: `secret-guess-${i}` }))).status).toBe(401);
    expect((await traceRows("log in"))[0]).toMatchObject({ resourceType: "user", resourceName: "ghost", userName: "ghost", code: "401", status: "warning" });
    const throttled = await login(loginRequest({ username: "ghost", password: "secret-guess-9" }));
    expect(throttled.status).toBe(403);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await traceRows("log in"))[0]).toMatchObject({ userName: "ghost", code: "403", status: "warning" });
    const all = JSON.stringify(await traceRows("log in"));
    expect(all).not.toMatch(/secret-guess|test-admin-password/);
  });

  it("answers 400 naming the field for a NUL in the user name, and a generic 401 for a database failure (no SQL in the response)", async () => {
    const nul = await login(loginRequest({ username: "ad\u0000min", password: RIGHT }));
    expect(nul.status).toBe(400);
    expect(await nul.json()).toMatchObject({ field: "username" });
    const broken = await createServiceTestBed();
    await broken.close();
    runtime.__elbRuntime = { connection: Promise.resolve(broken.connection) };
    try {
      const response = await login(loginRequest({ username: "admin", password: RIGHT }));
      expect(response.status).toBe(401);
      const text = await response.text();
      expect(text).not.toMatch(/select|insert|from|login_throttle|users/i);
      expect(JSON.parse(text)).toMatchObject({ error: expect.stringMatching(/Log-in failed/) });
    } finally {
      runtime.__elbRuntime = { connection: Promise.resolve(bed.connection) };
    }
  });

  it("uses __Host-elb_session over HTTPS (Secure, Path=/, no Domain) and elb_session over HTTP, and logout reads the same one and is traced", async () => {
    const overHttps = await login(loginRequest({ username: "admin", password: RIGHT }, { https: true }));
    const secure = overHttps.headers.get("set-cookie")!;
    expect(secure).toMatch(/^__Host-elb_session=[^;]+; /);
    expect(secure).toMatch(/; Secure/);
    expect(secure).toMatch(/; Path=\/(;|$)/);
    expect(secure).not.toMatch(/Domain=/i);
    const plain = (await login(loginRequest({ username: "admin", password: RIGHT }))).headers.get("set-cookie")!;
    expect(plain).toMatch(/^elb_session=[^;]+; /);
    expect(plain).not.toMatch(/Secure/);

    const token = secure.split(";")[0]!.split("=")[1]!;
    const before = (await bed.ctx.db.select().from(sessions)).length;
    const logoutRequest = (cookie: string) => new Request("https://console.test/api/auth/logout", { method: "POST", headers: { cookie, "x-forwarded-for": "127.0.8.2" } });
    // Over HTTPS the plain name is not the session cookie (any app on the host could have planted it).
    await logout(logoutRequest(`elb_session=${token}`));
    expect((await bed.ctx.db.select().from(sessions)).length).toBe(before);
    const out = await logout(logoutRequest(`__Host-elb_session=${token}`));
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/^__Host-elb_session=; Path=\/; .*Max-Age=0.*Secure/);
    expect((await bed.ctx.db.select().from(sessions)).length).toBe(before - 1);
    expect((await traceRows("log out"))[0]).toMatchObject({ resourceType: "user", resourceName: "admin", userName: "admin", sourceIp: "127.0.8.2", code: "200" });
  });
});

describe("cross-origin log-in and log-out are refused", () => {
  it("answers 403 to a cross-site or same-site (other port) request and leaves the session alone", async () => {
    const ok = await login(loginRequest({ username: "admin", password: RIGHT }));
    const token = ok.headers.get("set-cookie")!.split(";")[0]!.split("=")[1]!;
    const crossOrigin: Record<string, string>[] = [{ "sec-fetch-site": "cross-site" }, { "sec-fetch-site": "same-site" }, { origin: "http://evil.test", host: "console.test" }];
    for (const headers of crossOrigin) {
      const out = await logout(new Request("http://console.test/api/auth/logout", { method: "POST", headers: { ...headers, cookie: `elb_session=${token}` } }));
      expect(out.status).toBe(403);
      const request = loginRequest({ username: "admin", password: RIGHT });
      for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
      expect((await login(request)).status).toBe(403);
    }
    expect(await findSessionUser(bed.ctx.db, token)).not.toBeNull();
    const sameOrigin = await logout(new Request("http://console.test/api/auth/logout", { method: "POST", headers: { "sec-fetch-site": "same-origin", cookie: `elb_session=${token}` } }));
    expect(sameOrigin.status).toBe(200);
    expect(await findSessionUser(bed.ctx.db, token)).toBeNull();
  });
});
