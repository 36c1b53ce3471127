import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_FORWARDED, rawExchange, type ProxyFixture } from "./test-support/http-fixture";
import type { RawBackend } from "./test-support/raw-backend";
import { startRawProxy, type RawProxy } from "./test-support/raw-proxy";

/**
 * Request-target forms and Host (RFC 9112 §3.2, RFC 9110 §7.2), against a raw recording backend:
 * absolute-form is rewritten to origin-form with its authority as Host (the authority wins, as in
 * nginx); only origin-form, http(s) absolute-form and `OPTIONS *` are accepted; Host must be
 * uri-host[:port].
 */

let backend: RawBackend;
let proxy: ProxyFixture;
let fixture: RawProxy;

beforeAll(async () => void ({ backend, proxy } = fixture = await startRawProxy({ clientIp: ALL_FORWARDED })));
afterAll(() => fixture.close());

/** X-Forwarded-* as the proxy appends them. */
function xf(host: string): string {
  return `X-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: ${proxy.port}\r\nX-Forwarded-Host: ${host}\r\n`;
}

/** Sends `payload` with `Connection: close` after its request line (a hop-by-hop field the backend never sees). */
async function send(payload: string): Promise<{ text: string; reached: string }> {
  const before = backend.received;
  const { text } = await rawExchange(proxy.port, payload.replace("\r\n", "\r\nConnection: close\r\n"));
  return { text, reached: backend.bytes().slice(before) };
}

/** Forwarded: the backend got exactly `expected` and the client its answer. */
async function expectForwarded(payload: string, expected: string): Promise<void> {
  const r = await send(payload);
  expect(r.text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  expect(r.reached).toBe(expected);
}

/** Refused by the engine with 400 before any byte reached the backend. */
async function expectRefused(payload: string): Promise<void> {
  const r = await send(payload);
  expect(r.text).toMatch(/^HTTP\/1\.1 400 /);
  expect(r.text).toContain("\r\nServer: elb\r\n");
  expect(r.reached).toBe("");
}

describe("absolute-form request-target (RFC 9112 §3.2.2)", () => {
  it("is forwarded in origin-form with the target's authority as Host and X-Forwarded-Host", async () => {
    await expectForwarded(
      "GET http://other.example/p?q=1 HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n",
      `GET /p?q=1 HTTP/1.1\r\nHost: other.example\r\nAccept: */*\r\n${xf("other.example")}\r\n`,
    );
  });

  it("keeps the port, takes https and any scheme case, and makes an empty path '/'", async () => {
    await expectForwarded(
      "GET HTTPS://A.example:8443 HTTP/1.1\r\nHost: h\r\n\r\n",
      `GET / HTTP/1.1\r\nHost: A.example:8443\r\n${xf("A.example:8443")}\r\n`,
    );
    await expectForwarded(
      "POST http://[::1]:81?x HTTP/1.1\r\nContent-Length: 2\r\nHost: h\r\n\r\nhi",
      `POST /?x HTTP/1.1\r\nHost: [::1]:81\r\nContent-Length: 2\r\n${xf("[::1]:81")}\r\nhi`,
    );
  });

  it("gives an HTTP/1.0 request without Host the authority as Host (sent as HTTP/1.1, our version)", async () => {
    await expectForwarded(
      "GET http://o.example/a HTTP/1.0\r\n\r\n",
      `GET /a HTTP/1.1\r\nHost: o.example\r\n${xf("o.example")}\r\n`,
    );
  });

  it("curl as a forward-proxy client (absolute-form, its own Host: h) reaches the backend in origin-form for the authority", async () => {
    const before = backend.heads.length;
    const args = ["-s", "--max-time", "5", "-x", `http://127.0.0.1:${proxy.port}`, "-H", "Host: h", "http://other.example/p?q"];
    const { stdout } = await promisify(execFile)("curl", args, { timeout: 10_000 });
    expect(stdout).toMatch(/^ok \d+$/);
    const head = backend.heads[before]!;
    expect(head).toMatch(/^GET \/p\?q HTTP\/1\.1\r\nHost: other\.example\r\n/);
    expect(head).toContain(`\r\nX-Forwarded-Host: other.example\r\n`);
    expect(head).not.toMatch(/\r\n(Host: h|Proxy-Connection:)/i);
  });

  it("refuses other schemes, userinfo and an empty or malformed authority", async () => {
    await expectRefused("GET ftp://o.example/ HTTP/1.1\r\nHost: h\r\n\r\n");
    await expectRefused("GET http://user@o.example/ HTTP/1.1\r\nHost: h\r\n\r\n");
    await expectRefused("GET http:///p HTTP/1.1\r\nHost: h\r\n\r\n");
    await expectRefused("GET http://o.example:99999/ HTTP/1.1\r\nHost: h\r\n\r\n");
    await expectRefused("GET http:o.example/ HTTP/1.1\r\nHost: h\r\n\r\n");
  });
});

describe("request-target forms and Host syntax (RFC 9112 §3.2, RFC 9110 §7.2)", () => {
  it("refuses targets that are neither origin-form, http(s) absolute-form nor OPTIONS *", async () => {
    await expectRefused("GET foo HTTP/1.1\r\nHost: h\r\n\r\n");
    await expectRefused("GET h:80 HTTP/1.1\r\nHost: h\r\n\r\n");
    await expectRefused("GET * HTTP/1.1\r\nHost: h\r\n\r\n");
    await expectRefused("OPTIONS *x HTTP/1.1\r\nHost: h\r\n\r\n");
  });

  it("forwards OPTIONS * as it came", async () => {
    await expectForwarded("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", `OPTIONS * HTTP/1.1\r\nHost: h\r\n${xf("h")}\r\n`);
  });

  it("refuses a Host that is not uri-host[:port]", async () => {
    for (const host of ["", "a/b", "evil@good", "h:", "h:x", "h:65536", "[::1", "[zz::1]", "a b", "h%4", "h?x", "h#x"]) {
      await expectRefused(`GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    }
    await expectRefused("GET http://o.example/ HTTP/1.1\r\nHost: evil@good\r\n\r\n");
  });

  it("accepts names, IPv4, bracketed IPv6, pct-encoding and ports", async () => {
    for (const host of ["h", "a-b.example", "1.2.3.4:80", "[::1]:8080", "[2001:db8::1]", "x%41y", "H:65535"]) {
      await expectForwarded(`GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`, `GET / HTTP/1.1\r\nHost: ${host}\r\n${xf(host)}\r\n`);
    }
  });
});
