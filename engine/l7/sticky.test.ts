import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { LB_COOKIE_NAME, lbCookieToken } from "./sticky/lb-cookie";
import { httpPool, request, startBackend, startProxy, type HttpBackend, type ProxyFixture } from "./test-support/http-fixture";
import type { SnapshotStickySession } from "../protocol/snapshot.types";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function stickySetup(sticky: SnapshotStickySession, handler?: Parameters<typeof startBackend>[1]) {
  const backends: HttpBackend[] = [];
  for (const name of ["a", "b", "c"]) backends.push(await startBackend(name, handler && ((req, res, seen) => handler(req, res, seen))));
  cleanup.push(...backends.map((b) => () => b.close()));
  const proxy: ProxyFixture = await startProxy(httpPool(backends.map((b) => ({ id: b.name, port: b.port })), { stickySession: sticky }));
  cleanup.push(() => proxy.close());
  return { backends, proxy };
}

const agent = () => {
  const a = new http.Agent({ keepAlive: true, maxSockets: 4 });
  cleanup.push(async () => a.destroy());
  return a;
};

describe("sticky sessions: load balancer cookie", () => {
  it("sets ELBSESSION, refreshes it on every response, and routes ~100 requests carrying it to the same member", async () => {
    const { proxy } = await stickySetup({ type: "HTTP_COOKIE", cookieName: null, durationMinutes: 20 });
    const first = await request(proxy.port);
    const setCookie = first.headers["set-cookie"]?.[0] ?? "";
    expect(setCookie).toMatch(new RegExp(`^${LB_COOKIE_NAME}=[A-Za-z0-9_-]+; Max-Age=1200; Path=/; HttpOnly$`));
    const cookie = setCookie.split(";")[0]!;
    const ag = agent();
    const bodies = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const res = await request(proxy.port, { agent: ag, headers: { Cookie: `theme=dark; ${cookie}` } });
      bodies.add(res.body);
      // Re-issued with the full Max-Age, so stickiness lasts durationMinutes after the last use.
      expect(res.headers["set-cookie"]).toEqual([setCookie]);
    }
    expect(bodies).toEqual(new Set([first.body]));
    // Without the cookie the balancer spreads requests again.
    const spread = new Set<string>();
    for (let i = 0; i < 6; i++) spread.add((await request(proxy.port, { agent: ag })).body);
    expect(spread.size).toBe(3);
  });

  it("falls back to another member when the stuck one becomes unavailable, and re-issues the cookie", async () => {
    const { proxy } = await stickySetup({ type: "HTTP_COOKIE", cookieName: null, durationMinutes: 20 });
    const token = lbCookieToken("pool-1", "b");
    const cookie = `${LB_COOKIE_NAME}=${token}`;
    expect((await request(proxy.port, { headers: { Cookie: cookie } })).body).toBe("b");
    const b = proxy.pool!.byId("b")!;
    b.healthy = false;
    const res = await request(proxy.port, { headers: { Cookie: cookie } });
    expect(res.body).not.toBe("b");
    const reissued = res.headers["set-cookie"]?.[0] ?? "";
    expect(reissued).toContain(`${LB_COOKIE_NAME}=${lbCookieToken("pool-1", res.body)}`);
    const followCookie = reissued.split(";")[0]!;
    for (let i = 0; i < 10; i++) expect((await request(proxy.port, { headers: { Cookie: followCookie } })).body).toBe(res.body);
    b.healthy = true;
    expect((await request(proxy.port, { headers: { Cookie: cookie } })).body).toBe("b");
  });

  it("ignores a forged or foreign cookie value and picks normally", async () => {
    const { proxy } = await stickySetup({ type: "HTTP_COOKIE", cookieName: null, durationMinutes: 20 });
    const res = await request(proxy.port, { headers: { Cookie: `${LB_COOKIE_NAME}=not-a-member` } });
    expect(res.status).toBe(200);
    expect(res.headers["set-cookie"]?.[0]).toContain(LB_COOKIE_NAME);
  });
});

describe("sticky sessions: application cookie", () => {
  it("learns the backend's cookie and routes ~100 requests carrying it back to that member", async () => {
    let counter = 0;
    const { proxy, backends } = await stickySetup({ type: "APP_COOKIE", cookieName: "JSESSIONID", durationMinutes: 20 }, (req, res, seen) => {
      req.resume();
      const name = backends.find((b) => b.seen.includes(seen))!.name;
      if (!req.headers.cookie?.includes("JSESSIONID")) res.setHeader("Set-Cookie", `JSESSIONID=${name}-${++counter}; Path=/; HttpOnly`);
      res.end(name);
    });
    const ag = agent();
    const sessions: { cookie: string; member: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await request(proxy.port, { agent: ag });
      sessions.push({ cookie: res.headers["set-cookie"]![0]!.split(";")[0]!, member: res.body });
    }
    expect(new Set(sessions.map((s) => s.member)).size).toBe(3);
    for (let i = 0; i < 99; i++) {
      const s = sessions[i % 3]!;
      const res = await request(proxy.port, { agent: ag, headers: { Cookie: `a=1; ${s.cookie}` } });
      expect(res.body).toBe(s.member);
    }
  });

  it("falls back when the learned member becomes unavailable", async () => {
    const { proxy, backends } = await stickySetup({ type: "APP_COOKIE", cookieName: "SID", durationMinutes: 1 }, (req, res, seen) => {
      req.resume();
      const name = backends.find((b) => b.seen.includes(seen))!.name;
      if (!req.headers.cookie) res.setHeader("Set-Cookie", `SID=s-${name}`);
      res.end(name);
    });
    const first = await request(proxy.port);
    const cookie = first.headers["set-cookie"]![0]!;
    for (let i = 0; i < 5; i++) expect((await request(proxy.port, { headers: { Cookie: cookie } })).body).toBe(first.body);
    proxy.pool!.byId(first.body)!.healthy = false;
    for (let i = 0; i < 5; i++) expect((await request(proxy.port, { headers: { Cookie: cookie } })).body).not.toBe(first.body);
  });

  it("forgets a value the backend expires with a past Expires date (no Max-Age): requests carrying it are balanced again", async () => {
    let issued = 0;
    const { proxy, backends } = await stickySetup({ type: "APP_COOKIE", cookieName: "SID", durationMinutes: 20 }, (req, res, seen) => {
      req.resume();
      const name = backends.find((b) => b.seen.includes(seen))!.name;
      const sid = /SID=[^;]*/.exec(req.headers.cookie ?? "")?.[0];
      if (req.url === "/login") res.setHeader("Set-Cookie", `SID=s-${name}-${++issued}; Path=/; HttpOnly`);
      // The RFC 850 form a Java servlet container sends; a future Expires on /renew must not delete.
      if (req.url === "/logout") res.setHeader("Set-Cookie", `${sid}; Path=/; Expires=Thursday, 01-Jan-70 00:00:10 GMT; HttpOnly`);
      if (req.url === "/renew") res.setHeader("Set-Cookie", `${sid}; Path=/; Expires=Fri, 01 Jan 2100 00:00:00 GMT`);
      res.end(name);
    });
    const ag = agent();
    const login = await request(proxy.port, { agent: ag, path: "/login" });
    const session = { cookie: login.headers["set-cookie"]![0]!.split(";")[0]!, member: login.body };
    const answers = async (path = "/", times = 6) => {
      const names = new Set<string>();
      for (let i = 0; i < times; i++) names.add((await request(proxy.port, { agent: ag, path, headers: { Cookie: `theme=dark; ${session.cookie}` } })).body);
      return names;
    };
    expect(await answers()).toEqual(new Set([session.member]));
    expect(await answers("/renew", 1)).toEqual(new Set([session.member]));
    expect(await answers()).toEqual(new Set([session.member])); // a future Expires keeps it
    expect(await answers("/logout", 1)).toEqual(new Set([session.member])); // routed by it, then expired by its member
    expect(await answers()).toEqual(new Set(["a", "b", "c"]));
  });
});
