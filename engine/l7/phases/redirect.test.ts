import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { RecordingObserver } from "../../test-support/recording-observer";
import { httpPool, rawExchange, startBackend, startProxy, type HttpBackend, type ProxyFixture } from "../test-support/http-fixture";

/**
 * A redirected HTTP listener (guide 3.8.4, table 3-9) through the real proxy: every request gets
 * 301 with `Location: https://<host>:<https port><path>?<query>`; nothing reaches a backend.
 */
const run = promisify(execFile);
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const HTTPS_PORT = 8443;

/** A redirected listener that still names a default group with a live backend (to prove it is not used). */
async function redirected(observer?: RecordingObserver): Promise<{ proxy: ProxyFixture; backend: HttpBackend }> {
  const backend = await startBackend("backend");
  cleanups.push(() => backend.close());
  const proxy = await startProxy(httpPool([{ id: "a", port: backend.port }]), {}, { redirect: { port: HTTPS_PORT } }, observer);
  cleanups.push(() => proxy.close());
  return { proxy, backend };
}

/** The Location field of a raw response. */
function location(raw: string): string | undefined {
  return /\r\nLocation: ([^\r]*)\r\n/.exec(raw)?.[1];
}

describe("redirect phase (HTTP → HTTPS)", () => {
  it("answers 301 with the exact Location: Host without its port, path and query as sent; nothing reaches the backend", async () => {
    const observer = new RecordingObserver();
    const { proxy, backend } = await redirected(observer);
    const { text } = await rawExchange(proxy.port, "GET /a/b%20c/index.html?x=1&y=%2F&z HTTP/1.1\r\nHost: Shop.Example.test:8080\r\nConnection: close\r\n\r\n");
    expect(text.startsWith("HTTP/1.1 301 Moved Permanently\r\n")).toBe(true);
    expect(location(text)).toBe(`https://Shop.Example.test:${HTTPS_PORT}/a/b%20c/index.html?x=1&y=%2F&z`);
    expect(text).toMatch(/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n$/); // no body
    expect(backend.seen).toEqual([]);
    expect(backend.connections).toBe(0);
    expect(proxy.handler.route.phases.map((p) => p.name)).toEqual(["redirect"]);
    expect(observer.of("request").map((r) => [r.record.status, r.memberId])).toEqual([[301, null]]);
  });

  it("keeps an IPv6 literal's brackets, takes an absolute-form target's authority and path, and a path without query as is", async () => {
    const { proxy } = await redirected();
    const v6 = await rawExchange(proxy.port, "GET /p HTTP/1.1\r\nHost: [::1]:80\r\nConnection: close\r\n\r\n");
    expect(location(v6.text)).toBe(`https://[::1]:${HTTPS_PORT}/p`);
    const absolute = await rawExchange(proxy.port, "GET http://other.test:81/x?q=2 HTTP/1.1\r\nHost: ignored.test\r\nConnection: close\r\n\r\n");
    expect(location(absolute.text)).toBe(`https://other.test:${HTTPS_PORT}/x?q=2`);
    const bare = await rawExchange(proxy.port, "GET http://other.test HTTP/1.1\r\nHost: other.test\r\nConnection: close\r\n\r\n");
    expect(location(bare.text)).toBe(`https://other.test:${HTTPS_PORT}/`);
    const asterisk = await rawExchange(proxy.port, "OPTIONS * HTTP/1.1\r\nHost: other.test\r\nConnection: close\r\n\r\n");
    expect(location(asterisk.text)).toBe(`https://other.test:${HTTPS_PORT}/`); // OPTIONS *: the root
  });

  it("HEAD gets the 301 without a body, and the keep-alive connection serves the next request (also redirected)", async () => {
    const { proxy, backend } = await redirected();
    const { text } = await rawExchange(proxy.port, "HEAD /h?1 HTTP/1.1\r\nHost: h.test\r\n\r\nGET /g HTTP/1.1\r\nHost: h.test\r\nConnection: close\r\n\r\n");
    const responses = text.split("HTTP/1.1 301 Moved Permanently\r\n").slice(1);
    expect(responses).toHaveLength(2);
    expect(location("\r\n" + responses[0]!)).toBe(`https://h.test:${HTTPS_PORT}/h?1`);
    expect(responses[0]!.endsWith("\r\n\r\n")).toBe(true); // no body after the HEAD answer's head
    expect(location("\r\n" + responses[1]!)).toBe(`https://h.test:${HTTPS_PORT}/g`);
    expect(backend.seen).toEqual([]);
  });

  it("HTTP/1.0 without Host: the host is the local address the client reached", async () => {
    // The listener's first bind address (the last resort) differs from the address the client reached.
    const proxy = await startProxy(null, {}, { defaultPoolId: null, redirect: { port: HTTPS_PORT }, bindAddresses: ["127.0.0.9"] });
    cleanups.push(() => proxy.close());
    const { text } = await rawExchange(proxy.port, "GET /old?a=b HTTP/1.0\r\n\r\n");
    expect(text.startsWith("HTTP/1.1 301 Moved Permanently\r\n")).toBe(true);
    expect(location(text)).toBe(`https://127.0.0.1:${HTTPS_PORT}/old?a=b`);
  });

  it("needs no default group: a redirected listener without one answers 301, not 503", async () => {
    const proxy = await startProxy(null, {}, { defaultPoolId: null, redirect: { port: 443 } });
    cleanups.push(() => proxy.close());
    const { text } = await rawExchange(proxy.port, "POST /form HTTP/1.1\r\nHost: x.test\r\nContent-Length: 3\r\n\r\nabc");
    expect(text.startsWith("HTTP/1.1 301 Moved Permanently\r\n")).toBe(true);
    expect(location(text)).toBe("https://x.test:443/form");
  });

  it("curl -i shows the 301 and the exact Location", async () => {
    const { proxy, backend } = await redirected();
    const { stdout } = await run("curl", ["-si", "--max-time", "5", "-H", "Host: www.elb.test", `http://127.0.0.1:${proxy.port}/elb/index.html?lang=en&page=2`], { timeout: 10_000 });
    expect(stdout).toMatch(/^HTTP\/1\.1 301 Moved Permanently\r\n/);
    expect(stdout).toContain(`\r\nLocation: https://www.elb.test:${HTTPS_PORT}/elb/index.html?lang=en&page=2\r\n`);
    expect(backend.seen).toEqual([]);
  });

  it("a listener whose redirect is removed forwards again (the rest of its configuration was only inactive)", async () => {
    const { proxy, backend } = await redirected();
    const route = proxy.handler.route.route;
    proxy.handler.update({ listener: { ...route.listener, redirect: null }, pool: proxy.pool });
    const { text } = await rawExchange(proxy.port, "GET /back HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 200 OK[^]*\r\n\r\nbackend$/);
    expect(backend.seen.map((r) => r.url)).toEqual(["/back"]);
  });
});
