import type { OutgoingHttpHeaders } from "node:http2";
import { describe, expect, it } from "vitest";
import type { SnapshotClientIp } from "../../protocol/snapshot.types";
import { clientIpSettings, httpListener, type HttpBackend, type SeenRequest } from "../test-support/http-fixture";
import { fieldValues } from "../test-support/seen-fields";
import type { H2ProxyFixture } from "./test-support/h2-fixture";
import { h2Request } from "./test-support/h2-fixture";
import { useH2Suite } from "./test-support/h2-suite";

/**
 * Issue 10 items 1 and 3 on HTTP/2 streams (node:http2 clients bound to their own 127.x or ::1): what
 * reaches the HTTP/1.1 backend (raw header list, duplicates included) for each X-Forwarded-For mode and
 * switch, Trusted IPs and the Real IP Header, with the client's own claims sent on every stream.
 */

const suite = useH2Suite();
const TRUSTED_PEER = "127.0.0.2";
const OTHER_PEER = "127.0.0.3";

/** A backend and an HTTP/2 proxy in front of it whose HTTPS listener has `clientIp` (undefined: the defaults). */
async function setup(clientIp?: Partial<SnapshotClientIp>, host = "127.0.0.1"): Promise<{ backend: HttpBackend; proxy: H2ProxyFixture; host: string }> {
  const backend = await suite.backend("b");
  const listener = clientIp === undefined ? {} : { clientIp: clientIpSettings(clientIp) };
  const proxy = await suite.proxyTo(backend, {}, { listener, host });
  return { backend, proxy, host };
}

/** One stream from a session of its own bound to `localAddress`, with `headers`; what the backend saw of it. */
async function seenFrom(t: { backend: HttpBackend; proxy: H2ProxyFixture; host: string }, localAddress: string, headers: OutgoingHttpHeaders = {}): Promise<SeenRequest> {
  const session = await suite.session(t.proxy.port, { localAddress, host: t.host });
  const before = t.backend.seen.length;
  const res = await h2Request(session, headers);
  expect(res.status).toBe(200);
  expect(t.backend.seen).toHaveLength(before + 1);
  return t.backend.seen[before]!;
}

const SPOOFED: OutgoingHttpHeaders = {
  "x-forwarded-for": ["203.0.113.7", "198.51.100.2"],
  "x-forwarded-proto": "http",
  "x-forwarded-port": "1",
  "x-forwarded-host": "evil.example",
  "x-real-ip": "192.0.2.66",
};

describe("HTTP/2: X-Forwarded-For modes and switches", () => {
  it("defaults: the client appended to its chain (both fields joined), Proto https only; the client's other claims dropped", async () => {
    const t = await setup();
    const seen = await seenFrom(t, OTHER_PEER, SPOOFED);
    expect(fieldValues(seen, "x-forwarded-for")).toEqual([`203.0.113.7, 198.51.100.2, ${OTHER_PEER}`]);
    expect(fieldValues(seen, "x-forwarded-proto")).toEqual(["https"]);
    for (const off of ["x-forwarded-port", "x-forwarded-host", "x-real-ip"]) expect(fieldValues(seen, off), off).toEqual([]);
    expect(fieldValues(await seenFrom(t, TRUSTED_PEER), "x-forwarded-for")).toEqual([TRUSTED_PEER]);
  });

  it("REPLACE sends the client alone, REMOVE none", async () => {
    expect(fieldValues(await seenFrom(await setup({ xForwardedFor: "REPLACE" }), OTHER_PEER, SPOOFED), "x-forwarded-for")).toEqual([OTHER_PEER]);
    expect(fieldValues(await seenFrom(await setup({ xForwardedFor: "REMOVE" }), OTHER_PEER, SPOOFED), "x-forwarded-for")).toEqual([]);
  });

  it("every switch on: one line of ours each (Port = listener port, Host = :authority, X-Real-IP = the client)", async () => {
    const t = await setup({ xForwardedPort: true, xForwardedHost: true, xRealIp: true });
    const seen = await seenFrom(t, OTHER_PEER, SPOOFED);
    expect(fieldValues(seen, "x-forwarded-port")).toEqual([String(t.proxy.port)]);
    expect(fieldValues(seen, "x-forwarded-host")).toEqual([`localhost:${t.proxy.port}`]);
    expect(fieldValues(seen, "x-real-ip")).toEqual([OTHER_PEER]);
    expect(fieldValues(seen, "x-forwarded-proto")).toEqual(["https"]);
  });

  it("trusted-only keeps a trusted peer's chain and drops another's", async () => {
    const t = await setup({ xForwardedForTrustedOnly: true, trustedIps: [TRUSTED_PEER] });
    expect(fieldValues(await seenFrom(t, TRUSTED_PEER, SPOOFED), "x-forwarded-for")).toEqual([`203.0.113.7, 198.51.100.2, ${TRUSTED_PEER}`]);
    expect(fieldValues(await seenFrom(t, OTHER_PEER, SPOOFED), "x-forwarded-for")).toEqual([OTHER_PEER]);
  });
});

describe("HTTP/2: a settings update on an open session", () => {
  it("the next stream is judged by the new settings: the peer's trust and the cached client lines are worked out again", async () => {
    const t = await setup({ xForwardedForTrustedOnly: true, trustedIps: ["10.0.0.0/8"] });
    const session = await suite.session(t.proxy.port, { localAddress: TRUSTED_PEER, host: t.host });
    const stream = async (headers: OutgoingHttpHeaders) => {
      const before = t.backend.seen.length;
      expect((await h2Request(session, headers)).status).toBe(200);
      return t.backend.seen[before]!;
    };
    expect(fieldValues(await stream({ "x-forwarded-for": "203.0.113.7" }), "x-forwarded-for")).toEqual([TRUSTED_PEER]); // not trusted yet: chain dropped
    expect(fieldValues(await stream({}), "x-real-ip")).toEqual([]);

    const clientIp = clientIpSettings({ xForwardedForTrustedOnly: true, trustedIps: [TRUSTED_PEER], xRealIp: true });
    t.proxy.handler.update({ listener: httpListener(t.proxy.port, { protocol: "HTTPS", clientIp }), pool: t.proxy.pool });
    expect(fieldValues(await stream({ "x-forwarded-for": "203.0.113.7" }), "x-forwarded-for")).toEqual([`203.0.113.7, ${TRUSTED_PEER}`]);
    expect(fieldValues(await stream({}), "x-real-ip")).toEqual([TRUSTED_PEER]);
  });
});

describe("HTTP/2: Real IP Header from trusted peers", () => {
  const chain = { "x-forwarded-for": "203.0.113.1, 198.51.100.9, 10.1.1.1" };

  it("X-Forwarded-For: the last address, or recursive the right-most untrusted; an untrusted peer names nobody", async () => {
    const base: Partial<SnapshotClientIp> = { trustedIps: [TRUSTED_PEER, "10.0.0.0/8"], realIpHeader: "X_FORWARDED_FOR", xRealIp: true };
    const plain = await setup({ ...base, realIpRecursive: false });
    expect(fieldValues(await seenFrom(plain, TRUSTED_PEER, chain), "x-real-ip")).toEqual(["10.1.1.1"]);
    const recursive = await setup({ ...base, realIpRecursive: true });
    const seen = await seenFrom(recursive, TRUSTED_PEER, chain);
    expect(fieldValues(seen, "x-real-ip")).toEqual(["198.51.100.9"]);
    expect(fieldValues(seen, "x-forwarded-for")).toEqual(["203.0.113.1, 198.51.100.9, 10.1.1.1, 198.51.100.9"]);
    expect(fieldValues(await seenFrom(recursive, TRUSTED_PEER, { "x-forwarded-for": "10.2.2.2, 10.1.1.1" }), "x-real-ip")).toEqual(["10.2.2.2"]);
    expect(fieldValues(await seenFrom(recursive, OTHER_PEER, chain), "x-real-ip")).toEqual([OTHER_PEER]);
  });

  it("X-Real-IP: a trusted peer's names the client, an untrusted peer's is dropped", async () => {
    const t = await setup({ trustedIps: [TRUSTED_PEER], realIpHeader: "X_REAL_IP", xRealIp: true, xForwardedFor: "REPLACE" });
    const trusted = await seenFrom(t, TRUSTED_PEER, { "x-real-ip": "198.51.100.20" });
    expect(fieldValues(trusted, "x-real-ip")).toEqual(["198.51.100.20"]);
    expect(fieldValues(trusted, "x-forwarded-for")).toEqual(["198.51.100.20"]);
    const untrusted = await seenFrom(t, OTHER_PEER, { "x-real-ip": "198.51.100.20" });
    expect(fieldValues(untrusted, "x-real-ip")).toEqual([OTHER_PEER]);
    expect(fieldValues(untrusted, "x-forwarded-for")).toEqual([OTHER_PEER]);
  });

  it("an IPv6 peer (::1): trusted, its IPv6 chain names the client; untrusted in trusted-only mode, its chain is dropped", async () => {
    const trusted = await setup({ trustedIps: ["::1"], realIpHeader: "X_FORWARDED_FOR", xRealIp: true }, "::1");
    const seen = await seenFrom(trusted, "::1", { "x-forwarded-for": "2001:db8::7" });
    expect(fieldValues(seen, "x-real-ip")).toEqual(["2001:db8::7"]);
    expect(fieldValues(seen, "x-forwarded-for")).toEqual(["2001:db8::7, 2001:db8::7"]);
    const untrusted = await setup({ trustedIps: ["127.0.0.0/8"], xForwardedForTrustedOnly: true }, "::1");
    expect(fieldValues(await seenFrom(untrusted, "::1", { "x-forwarded-for": "2001:db8::7" }), "x-forwarded-for")).toEqual(["::1"]);
  });
});
