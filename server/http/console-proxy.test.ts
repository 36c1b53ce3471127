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

  it("marks API responses no-store", () => {
    expect(consoleProxy(request("/api/trpc/scope.list")).headers.get("cache-control")).toBe("no-store");
    expect(consoleProxy(request("/api/load-balancers/export")).headers.get("cache-control")).toBe("no-store");
  });
});
