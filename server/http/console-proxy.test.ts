import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { consoleProxy } from "./console-proxy";

const CONSOLE = "http://localhost:3000";

/** A request as the console server hands it to Next (which fills X-Forwarded-Host from Host). */
function request(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new NextRequest(`${CONSOLE}${path}`, {
    method: init.method ?? "GET",
    headers: { host: "localhost:3000", "x-forwarded-host": "localhost:3000", "x-forwarded-proto": "http", ...init.headers },
    body: init.body,
  });
}
const passes = (response: Response) => response.status === 200 && response.headers.get("x-middleware-next") === "1";
const textPost = (path: string, headers: Record<string, string>) =>
  request(path, { method: "POST", headers: { "content-type": "text/plain", ...headers }, body: '{"username":"admin","password":"x"}' });

describe("security headers", () => {
  it("sends CSP with frame-ancestors 'none', X-Frame-Options, nosniff and a Referrer-Policy on pages", () => {
    const response = consoleProxy(request("/load-balancers"));
    expect(passes(response)).toBe(true);
    expect(response.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    expect(response.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    expect(response.headers.get("cache-control")).toBeNull();
  });

  it("marks API responses no-store, refusals included", () => {
    expect(consoleProxy(request("/api/trpc/scope.list")).headers.get("cache-control")).toBe("no-store");
    expect(consoleProxy(request("/api/load-balancers/export")).headers.get("cache-control")).toBe("no-store");
    const refused = consoleProxy(textPost("/api/auth/login", { origin: "http://evil.example" }));
    expect(refused.headers.get("cache-control")).toBe("no-store");
    expect(refused.headers.get("x-frame-options")).toBe("DENY");
  });
});

describe("cross-site state-changing requests", () => {
  const refusedOrigins = ["http://evil.example", "http://localhost:4000", "https://localhost:3000", "null"];
  for (const path of ["/api/auth/login", "/api/auth/logout", "/api/trpc/loadBalancer.delete"])
    it(`refuses a cross-site text/plain POST to ${path} with 403 (Origin or Sec-Fetch-Site)`, async () => {
      for (const origin of refusedOrigins) {
        const response = consoleProxy(textPost(path, { origin }));
        expect(response.status, origin).toBe(403);
        expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/Cross-site request refused: Origin/);
      }
      for (const site of ["same-site", "cross-site"]) {
        const response = consoleProxy(textPost(path, { "sec-fetch-site": site }));
        expect(response.status, site).toBe(403);
      }
    });

  it("passes the console's own fetches (same Origin, Sec-Fetch-Site same-origin) and non-browser clients", () => {
    expect(passes(consoleProxy(textPost("/api/auth/login", { origin: CONSOLE, "sec-fetch-site": "same-origin" })))).toBe(true);
    expect(passes(consoleProxy(textPost("/api/trpc/loadBalancer.delete", { "sec-fetch-site": "same-origin" })))).toBe(true);
    expect(passes(consoleProxy(textPost("/api/auth/logout", {})))).toBe(true);
    expect(passes(consoleProxy(request("/api/trpc/scope.list", { headers: { origin: "http://evil.example" } })))).toBe(true);
  });

  it("behind a trusted proxy compares with X-Forwarded-Proto/X-Forwarded-Host", () => {
    const proxied = { host: "127.0.0.1:3000", "x-forwarded-host": "console.example", "x-forwarded-proto": "https" };
    expect(passes(consoleProxy(textPost("/api/auth/login", { ...proxied, origin: "https://console.example" })))).toBe(true);
    expect(consoleProxy(textPost("/api/auth/login", { ...proxied, origin: "http://console.example" })).status).toBe(403);
    expect(consoleProxy(textPost("/api/auth/login", { ...proxied, origin: "https://evil.example" })).status).toBe(403);
  });
});
