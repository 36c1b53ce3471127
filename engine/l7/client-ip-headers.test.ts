import type { OutgoingHttpHeaders } from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import type { SnapshotClientIp } from "../protocol/snapshot.types";
import { clientIpSettings, httpListener, httpPool, request, startBackend, startProxy, type HttpBackend, type ProxyFixture, type SeenRequest } from "./test-support/http-fixture";
import { fieldValues } from "./test-support/seen-fields";

/**
 * Issue 10 items 1 and 3 over real HTTP/1.1: what reaches a node:http backend (its raw header list,
 * duplicates included) for every X-Forwarded-For mode, each X-Forwarded-* / X-Real-IP switch, Trusted IPs
 * (peers bound to different 127.x addresses, one trusted, one not) and the Real IP Header, plain and
 * recursive, IPv4 and IPv6, and on a WebSocket upgrade. A client's own claims are sent in every request
 * to prove they are dropped or judged as configured.
 */

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const TRUSTED_PEER = "127.0.0.2";
const OTHER_PEER = "127.0.0.3";

/** A backend and a proxy in front of it whose listener has `clientIp` (undefined = no settings: the defaults). */
async function setup(clientIp?: Partial<SnapshotClientIp>, host = "127.0.0.1"): Promise<{ backend: HttpBackend; proxy: ProxyFixture }> {
  const backend = await startBackend("b");
  cleanup.push(() => backend.close());
  const listener = clientIp === undefined ? {} : { clientIp: clientIpSettings(clientIp) };
  const proxy = await startProxy(httpPool([{ id: "b", port: backend.port }]), {}, listener, undefined, host);
  cleanup.push(() => proxy.close());
  return { backend, proxy };
}

/** One GET from `localAddress` (its own connection) with `headers`; what the backend saw of it. */
async function seenFrom(target: { backend: HttpBackend; proxy: ProxyFixture }, localAddress: string, headers: OutgoingHttpHeaders = {}, host = "127.0.0.1"): Promise<SeenRequest> {
  const before = target.backend.seen.length;
  const res = await request(target.proxy.port, { host, localAddress, agent: false, headers: { Host: "shop.example", ...headers } });
  expect(res.status).toBe(200);
  expect(target.backend.seen).toHaveLength(before + 1);
  return target.backend.seen[before]!;
}

/** Every claim a client can make about itself. */
const SPOOFED: OutgoingHttpHeaders = {
  "X-Forwarded-For": ["203.0.113.7", "198.51.100.2"],
  "X-Forwarded-Proto": "https",
  "X-Forwarded-Port": "1",
  "X-Forwarded-Host": "evil.example",
  "X-Real-IP": "192.0.2.66",
};

describe("X-Forwarded-For modes", () => {
  it("defaults (no settings): the client address alone, or appended to the client's chain (all its fields joined); Proto only", async () => {
    const t = await setup();
    const plain = await seenFrom(t, TRUSTED_PEER);
    expect(fieldValues(plain, "x-forwarded-for")).toEqual([TRUSTED_PEER]);
    expect(fieldValues(plain, "x-forwarded-proto")).toEqual(["http"]);

    const spoofed = await seenFrom(t, OTHER_PEER, SPOOFED);
    expect(fieldValues(spoofed, "x-forwarded-for")).toEqual([`203.0.113.7, 198.51.100.2, ${OTHER_PEER}`]); // the first address is the client (guide 10.7.1)
    expect(fieldValues(spoofed, "x-forwarded-proto")).toEqual(["http"]);
    for (const off of ["x-forwarded-port", "x-forwarded-host", "x-real-ip"]) expect(fieldValues(spoofed, off), off).toEqual([]);
  });

  it("REPLACE drops the client's chain: ours is the client address alone", async () => {
    const t = await setup({ xForwardedFor: "REPLACE" });
    expect(fieldValues(await seenFrom(t, OTHER_PEER, SPOOFED), "x-forwarded-for")).toEqual([OTHER_PEER]);
    expect(fieldValues(await seenFrom(t, OTHER_PEER), "x-forwarded-for")).toEqual([OTHER_PEER]);
  });

  it("REMOVE sends none, the client's dropped too", async () => {
    const t = await setup({ xForwardedFor: "REMOVE" });
    const seen = await seenFrom(t, OTHER_PEER, SPOOFED);
    expect(fieldValues(seen, "x-forwarded-for")).toEqual([]);
    expect(fieldValues(seen, "x-forwarded-proto")).toEqual(["http"]);
    expect(fieldValues(await seenFrom(t, OTHER_PEER), "x-forwarded-for")).toEqual([]);
  });

  it("trusted-only keeps the chain from a trusted peer and drops it from another (the TCP peer decides, never a claim)", async () => {
    const t = await setup({ xForwardedForTrustedOnly: true, trustedIps: [TRUSTED_PEER] });
    expect(fieldValues(await seenFrom(t, TRUSTED_PEER, SPOOFED), "x-forwarded-for")).toEqual([`203.0.113.7, 198.51.100.2, ${TRUSTED_PEER}`]);
    expect(fieldValues(await seenFrom(t, OTHER_PEER, SPOOFED), "x-forwarded-for")).toEqual([OTHER_PEER]);
    // A claim of being the trusted proxy changes nothing.
    expect(fieldValues(await seenFrom(t, OTHER_PEER, { "X-Forwarded-For": TRUSTED_PEER, "X-Real-IP": TRUSTED_PEER }), "x-forwarded-for")).toEqual([OTHER_PEER]);
  });
});

describe("a settings update on an open keep-alive connection", () => {
  it("the next request is judged by the new settings: the peer's trust and the cached client lines are worked out again", async () => {
    const t = await setup({ xForwardedForTrustedOnly: true, trustedIps: ["10.0.0.0/8"] });
    const socket = net.connect({ host: "127.0.0.1", port: t.proxy.port, localAddress: TRUSTED_PEER });
    cleanup.push(async () => void socket.destroy());
    const ask = (extra: string) =>
      new Promise<SeenRequest>((resolve) => {
        const before = t.backend.seen.length;
        socket.once("data", () => resolve(t.backend.seen[before]!));
        socket.write(`GET / HTTP/1.1\r\nHost: shop.example\r\n${extra}\r\n`);
      });
    expect(fieldValues(await ask("X-Forwarded-For: 203.0.113.7\r\n"), "x-forwarded-for")).toEqual([TRUSTED_PEER]); // not trusted yet: chain dropped
    expect(fieldValues(await ask(""), "x-real-ip")).toEqual([]);

    const clientIp = clientIpSettings({ xForwardedForTrustedOnly: true, trustedIps: [TRUSTED_PEER], xRealIp: true });
    t.proxy.handler.update({ listener: httpListener(t.proxy.port, { clientIp }), pool: t.proxy.pool });
    expect(fieldValues(await ask("X-Forwarded-For: 203.0.113.7\r\n"), "x-forwarded-for")).toEqual([`203.0.113.7, ${TRUSTED_PEER}`]);
    expect(fieldValues(await ask(""), "x-real-ip")).toEqual([TRUSTED_PEER]);
    expect(new Set(t.backend.seen.map((seen) => seen.connection)).size).toBe(1);
  });
});

describe("X-Forwarded-Proto / -Port / -Host and X-Real-IP switches", () => {
  it("each switched on sends exactly one line of ours; the client's never pass", async () => {
    const t = await setup({ xForwardedPort: true, xForwardedHost: true, xRealIp: true });
    const seen = await seenFrom(t, OTHER_PEER, { ...SPOOFED, Host: "shop.example:8080" });
    expect(fieldValues(seen, "x-forwarded-proto")).toEqual(["http"]);
    expect(fieldValues(seen, "x-forwarded-port")).toEqual([String(t.proxy.port)]);
    expect(fieldValues(seen, "x-forwarded-host")).toEqual(["shop.example:8080"]);
    expect(fieldValues(seen, "x-real-ip")).toEqual([OTHER_PEER]);
    const plain = await seenFrom(t, TRUSTED_PEER); // no incoming field: the connection's cached lines
    expect(fieldValues(plain, "x-real-ip")).toEqual([TRUSTED_PEER]);
    expect(fieldValues(plain, "x-forwarded-port")).toEqual([String(t.proxy.port)]);
  });

  it("each switched off sends none, and a spoofed one is still dropped", async () => {
    const t = await setup({ xForwardedProto: false });
    const seen = await seenFrom(t, OTHER_PEER, SPOOFED);
    for (const off of ["x-forwarded-proto", "x-forwarded-port", "x-forwarded-host", "x-real-ip"]) expect(fieldValues(seen, off), off).toEqual([]);
    expect(fieldValues(await seenFrom(t, OTHER_PEER, { "X-Real-IP": "192.0.2.66" }), "x-real-ip")).toEqual([]);
  });
});

describe("Real IP Header from trusted peers", () => {
  const chainSettings = (recursive: boolean): Partial<SnapshotClientIp> => ({
    trustedIps: [TRUSTED_PEER, "10.0.0.0/8"],
    realIpHeader: "X_FORWARDED_FOR",
    realIpRecursive: recursive,
    xRealIp: true,
  });

  it("X-Forwarded-For without recursion: the last address of the chain is the client (X-Real-IP and the address appended)", async () => {
    const t = await setup(chainSettings(false));
    const seen = await seenFrom(t, TRUSTED_PEER, { "X-Forwarded-For": ["198.51.100.9", "10.1.1.1"] });
    expect(fieldValues(seen, "x-real-ip")).toEqual(["10.1.1.1"]);
    expect(fieldValues(seen, "x-forwarded-for")).toEqual(["198.51.100.9, 10.1.1.1, 10.1.1.1"]);
  });

  it("X-Forwarded-For recursive: the right-most untrusted address; all trusted → the left-most", async () => {
    const t = await setup(chainSettings(true));
    const seen = await seenFrom(t, TRUSTED_PEER, { "X-Forwarded-For": "203.0.113.1, 198.51.100.9, 10.1.1.1" });
    expect(fieldValues(seen, "x-real-ip")).toEqual(["198.51.100.9"]);
    expect(fieldValues(seen, "x-forwarded-for")).toEqual(["203.0.113.1, 198.51.100.9, 10.1.1.1, 198.51.100.9"]);
    expect(fieldValues(await seenFrom(t, TRUSTED_PEER, { "X-Forwarded-For": "10.2.2.2, 10.1.1.1" }), "x-real-ip")).toEqual(["10.2.2.2"]);
  });

  it("an untrusted peer's chain names no client; an unparsable address keeps the connection's", async () => {
    const t = await setup(chainSettings(true));
    const untrusted = await seenFrom(t, OTHER_PEER, { "X-Forwarded-For": "198.51.100.9, 10.1.1.1" });
    expect(fieldValues(untrusted, "x-real-ip")).toEqual([OTHER_PEER]);
    expect(fieldValues(untrusted, "x-forwarded-for")).toEqual([`198.51.100.9, 10.1.1.1, ${OTHER_PEER}`]);
    expect(fieldValues(await seenFrom(t, TRUSTED_PEER, { "X-Forwarded-For": "198.51.100.9, unknown" }), "x-real-ip")).toEqual([TRUSTED_PEER]);
    expect(fieldValues(await seenFrom(t, TRUSTED_PEER), "x-real-ip")).toEqual([TRUSTED_PEER]);
  });

  it("X-Real-IP: a trusted peer's names the client (its own field replaced by ours), an untrusted peer's is dropped", async () => {
    const t = await setup({ trustedIps: [TRUSTED_PEER], realIpHeader: "X_REAL_IP", xRealIp: true, xForwardedFor: "REPLACE" });
    const trusted = await seenFrom(t, TRUSTED_PEER, { "X-Real-IP": "198.51.100.20" });
    expect(fieldValues(trusted, "x-real-ip")).toEqual(["198.51.100.20"]);
    expect(fieldValues(trusted, "x-forwarded-for")).toEqual(["198.51.100.20"]);
    const untrusted = await seenFrom(t, OTHER_PEER, { "X-Real-IP": "198.51.100.20" });
    expect(fieldValues(untrusted, "x-real-ip")).toEqual([OTHER_PEER]);
    expect(fieldValues(untrusted, "x-forwarded-for")).toEqual([OTHER_PEER]);
  });

  it("source IP hash picks by the real client: a trusted proxy's clients spread, an untrusted peer's claims do not", async () => {
    const a = await startBackend("a");
    const b = await startBackend("b");
    cleanup.push(() => a.close(), () => b.close());
    const members = [{ id: "a", port: a.port }, { id: "b", port: b.port }];
    const clientIp = clientIpSettings({ trustedIps: [TRUSTED_PEER], realIpHeader: "X_REAL_IP" });
    const proxy = await startProxy(httpPool(members, { algorithm: "SOURCE_IP" }), {}, { clientIp });
    cleanup.push(() => proxy.close());
    const answers = async (peer: string) => {
      const names = new Set<string>();
      for (let i = 1; i <= 16; i++) names.add((await request(proxy.port, { localAddress: peer, agent: false, headers: { "X-Real-IP": `198.51.100.${i}` } })).body);
      return names;
    };
    expect((await answers(TRUSTED_PEER)).size).toBe(2);
    expect((await answers(OTHER_PEER)).size).toBe(1);
  });
});

describe("IPv6 peer (::1)", () => {
  it("appends ::1, keeps or drops the chain by trust, and reads an IPv6 chain from a trusted ::1", async () => {
    const untrusted = await setup({ xForwardedForTrustedOnly: true, trustedIps: ["127.0.0.0/8"], xRealIp: true }, "::1");
    const dropped = await seenFrom(untrusted, "::1", { "X-Forwarded-For": "2001:db8::7" }, "::1");
    expect(fieldValues(dropped, "x-forwarded-for")).toEqual(["::1"]);
    expect(fieldValues(dropped, "x-real-ip")).toEqual(["::1"]);

    const trusted = await setup({ trustedIps: ["::1", "2001:db8:ffff::/48"], realIpHeader: "X_FORWARDED_FOR", realIpRecursive: true, xRealIp: true }, "::1");
    const seen = await seenFrom(trusted, "::1", { "X-Forwarded-For": "2001:db8::7, 2001:db8:ffff::1" }, "::1");
    expect(fieldValues(seen, "x-real-ip")).toEqual(["2001:db8::7"]);
    expect(fieldValues(seen, "x-forwarded-for")).toEqual(["2001:db8::7, 2001:db8:ffff::1, 2001:db8::7"]);
  });
});

describe("WebSocket upgrade", () => {
  it("carries the same client lines: real client from a trusted peer, spoofed X-Real-IP dropped", async () => {
    const backend = await startBackend("ws");
    cleanup.push(() => backend.close());
    const upgrades: string[][] = [];
    const wss = new WebSocketServer({ server: backend.server });
    wss.on("connection", (ws, req) => {
      upgrades.push(req.rawHeaders);
      ws.close();
    });
    cleanup.push(async () => void wss.close());
    const clientIp = clientIpSettings({ trustedIps: [TRUSTED_PEER], realIpHeader: "X_FORWARDED_FOR", xRealIp: true });
    const proxy = await startProxy(httpPool([{ id: "ws", port: backend.port }]), {}, { clientIp });
    cleanup.push(() => proxy.close());
    const open = (peer: string) =>
      new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/chat`, { localAddress: peer, headers: { "X-Forwarded-For": "198.51.100.9", "X-Real-IP": "192.0.2.66" } });
        ws.once("close", () => resolve());
        ws.once("error", reject);
      });
    await open(TRUSTED_PEER);
    await open(OTHER_PEER);
    const seen = upgrades.map((raw) => ({ rawHeaders: raw }) as SeenRequest);
    expect(fieldValues(seen[0]!, "x-real-ip")).toEqual(["198.51.100.9"]);
    expect(fieldValues(seen[0]!, "x-forwarded-for")).toEqual(["198.51.100.9, 198.51.100.9"]);
    expect(fieldValues(seen[1]!, "x-real-ip")).toEqual([OTHER_PEER]);
    expect(fieldValues(seen[1]!, "x-forwarded-for")).toEqual([`198.51.100.9, ${OTHER_PEER}`]);
  });
});
