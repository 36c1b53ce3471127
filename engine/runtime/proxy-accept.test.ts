import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AddressLimits } from "../limits/address-limits";
import { createTcpHandler } from "../listeners/tcp";
import type { ConnectionContext } from "../observe/observer.types";
import { createPoolRuntime } from "../pools/pool-runtime";
import { DEFAULT_CLIENT_IP, type SnapshotAccessControl, type SnapshotClientIp, type SnapshotListener, type SnapshotPool } from "../protocol/snapshot.types";
import { freePort, startTcpBackend, waitFor, type TcpBackend } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import { firstLineVia, proxyV1, proxyV2, proxyV2LocalWithAddresses } from "../test-support/proxy-accept-client";
import { RecordingObserver } from "../test-support/recording-observer";
import { AccessControlledHandler } from "./access-controlled-handler";
import { listenStream } from "./bind-stream";
import { DEFAULT_PROXY_HEADER_TIMEOUT_MS, ProxyAcceptCache } from "./client-ip-accept";
import { CONNECTION_LIMIT_REACHED, ConnectionGate } from "./connection-gate";
import { EngineRuntime } from "./engine-runtime";
import { StreamBinding } from "./stream-binding";

/**
 * PROXY protocol accept on TCP listeners (issue 10 item 3), end to end: a real engine runtime (or its
 * accept path, StreamBinding, with a short header deadline), real clients bound to distinct 127.x
 * addresses sending real v1/v2 headers, real TCP backends that greet with their name. What reached the
 * backends (which one, whether any) and what the observer saw are checked, not only the client's side.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const keep = (socket: net.Socket) => cleanups.push(() => socket.destroy());

/** The proxy in front (trusted) and other peers; all local on Linux loopback. */
const PROXY = "127.0.0.5";
const STRANGER = "127.0.0.6";

/** Records what each connection's context said when the handler opened it (peer and client). */
class ContextObserver extends RecordingObserver {
  readonly contexts: { client: string; port: number; peer: string }[] = [];
  override connectionOpened(context: ConnectionContext): void {
    super.connectionOpened(context);
    this.contexts.push({ client: context.clientAddress, port: context.clientPort, peer: context.peerAddress });
  }
  /** Causes of the `proxy_protocol` errors, as text. */
  proxyErrors(): string[] {
    return this.of("error").filter((e) => e.kind === "proxy_protocol").map((e) => String((e.cause as Error).message));
  }
}

function clientIp(overrides: Partial<SnapshotClientIp>): SnapshotClientIp {
  return { ...DEFAULT_CLIENT_IP, proxyProtocolAccept: true, trustedIps: [PROXY], ...overrides };
}

async function backends(names: string[]): Promise<TcpBackend[]> {
  const list = await Promise.all(names.map((name) => startTcpBackend(name)));
  for (const b of list) cleanups.push(() => b.close());
  return list;
}

/**
 * An untrusted peer's attempt on a TCP listener: it connects from `from`, reads the backend's greeting (the
 * engine hands it on at once: the server may speak first), then writes `header` + `data`; resolves with the
 * greeting, everything else it read, and whether the engine closed the connection within 2 s.
 */
function attemptAfterGreeting(port: number, from: string, header: string | Buffer, data = ""): Promise<{ greeting: string; rest: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1", localAddress: from });
    keep(socket);
    let text = "";
    let greeting: string | null = null;
    const timer = setTimeout(() => finish(false), 2000);
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      resolve({ greeting: greeting ?? "", rest: greeting === null ? text : text.slice(greeting.length + 1), closed });
    };
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
      if (greeting === null && text.includes("\n")) {
        greeting = text.slice(0, text.indexOf("\n"));
        socket.write(Buffer.concat([Buffer.from(header), Buffer.from(data)]));
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => finish(true));
  });
}

/** A runtime with one TCP listener `l1` on a free port over `pools[0]`; `apply` re-applies with other settings. */
async function engine(first: { clientIp?: SnapshotClientIp | null; accessControl?: SnapshotAccessControl | null }, pools: SnapshotPool[]) {
  const port = await freePort();
  const observer = new ContextObserver();
  const rt = new EngineRuntime({ drainGraceMs: 200, observer });
  cleanups.push(() => rt.stop(100));
  const apply = (version: number, settings: Partial<SnapshotListener>) => rt.apply(snapshot(version, [listener("l1", port, pools[0]!.id, settings)], pools));
  const result = await apply(1, first);
  expect(result.errors).toEqual([]);
  return { port, observer, apply };
}

describe("PROXY protocol accept (TCP listener)", () => {
  it("a trusted peer's v1 and v2 headers replace the client address the handler and the observer see (IPv4 and IPv6); LOCAL and UNKNOWN keep the peer's", async () => {
    const [a] = await backends(["a"]);
    const { port, observer } = await engine({ clientIp: clientIp({}) }, [pool("p", [member("a", a!.port)])]);
    expect((await firstLineVia(port, PROXY, proxyV1("203.0.113.7", 40001), "", keep)).line).toBe("a");
    expect((await firstLineVia(port, PROXY, proxyV2("198.51.100.9", 40002), "", keep)).line).toBe("a");
    expect((await firstLineVia(port, PROXY, proxyV1("2001:db8::7", 40003), "", keep)).line).toBe("a");
    expect((await firstLineVia(port, PROXY, proxyV2("2001:db8::9", 40004, "2001:db8::1", 443, [{ type: 0x04, value: Buffer.alloc(5) }]), "", keep)).line).toBe("a");
    expect((await firstLineVia(port, PROXY, proxyV2("::ffff:192.0.2.44", 40005, "::ffff:127.0.0.1"), "", keep)).line).toBe("a");
    expect((await firstLineVia(port, PROXY, proxyV2("LOCAL"), "", keep)).line).toBe("a");
    expect((await firstLineVia(port, PROXY, "PROXY UNKNOWN\r\n", "", keep)).line).toBe("a");
    expect((await firstLineVia(port, PROXY, proxyV2LocalWithAddresses("203.0.113.99", 40006), "", keep)).line).toBe("a");
    expect(observer.contexts.map((c) => [c.client, c.port, c.peer])).toEqual([
      ["203.0.113.7", 40001, PROXY],
      ["198.51.100.9", 40002, PROXY],
      ["2001:db8::7", 40003, PROXY],
      ["2001:db8::9", 40004, PROXY],
      ["192.0.2.44", 40005, PROXY], // IPv4-mapped normalised as at accept
      [PROXY, observer.contexts[5]!.port, PROXY],
      [PROXY, observer.contexts[6]!.port, PROXY],
      [PROXY, observer.contexts[7]!.port, PROXY], // LOCAL: its address block is discarded
    ]);
    expect(observer.contexts[5]!.port).toBeGreaterThan(0); // the peer's own port
    expect(observer.proxyErrors()).toEqual([]);
  });

  it("the bytes after the header reach the backend untouched, in the same segment or later", async () => {
    const [echo] = await backends(["echo"]);
    const { port } = await engine({ clientIp: clientIp({}) }, [pool("p", [member("echo", echo!.port)])]);
    const socket = net.connect({ port, host: "127.0.0.1", localAddress: PROXY });
    keep(socket);
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (text += chunk));
    socket.write(Buffer.concat([proxyV2("203.0.113.7", 40001), Buffer.from("first\n")]));
    await waitFor(() => text.includes("first\n"), 3000, "echo of the first line");
    socket.write("second\n");
    await waitFor(() => text.includes("second\n"), 3000, "echo of the second line");
    expect(text).toBe("echo\nfirst\nsecond\n"); // greeting, then exactly the client's bytes
  });

  it("SOURCE_IP balancing and source-IP stickiness follow the header's address, not the proxy's", async () => {
    const [a, b] = await backends(["a", "b"]);
    const members = [member("a", a!.port), member("b", b!.port)];
    const hashed = await engine({ clientIp: clientIp({}) }, [pool("p", members, { algorithm: "SOURCE_IP" })]);
    const picks = new Map<string, string>();
    for (let i = 1; i <= 12; i++) picks.set(`10.1.0.${i}`, (await firstLineVia(hashed.port, PROXY, proxyV1(`10.1.0.${i}`, 5000 + i), "", keep)).line ?? "closed");
    expect(new Set(picks.values())).toEqual(new Set(["a", "b"])); // one peer, many clients: both members
    for (const [source, name] of picks) expect((await firstLineVia(hashed.port, PROXY, proxyV2(source, 6000), "", keep)).line).toBe(name);

    const sticky = await engine({ clientIp: clientIp({}) }, [pool("s", members, { stickySession: { type: "SOURCE_IP", cookieName: null, durationMinutes: 20 } })]);
    const home = (await firstLineVia(sticky.port, PROXY, proxyV1("10.2.0.1", 7001), "", keep)).line;
    const other = (await firstLineVia(sticky.port, PROXY, proxyV1("10.2.0.2", 7002), "", keep)).line;
    expect(other).not.toBe(home); // round robin gave the second client the other member
    for (let i = 0; i < 3; i++) {
      expect((await firstLineVia(sticky.port, PROXY, proxyV1("10.2.0.1", 7100 + i), "", keep)).line).toBe(home);
      expect((await firstLineVia(sticky.port, PROXY, proxyV1("10.2.0.2", 7200 + i), "", keep)).line).toBe(other);
    }
  });

  it("access control judges the header's address for a trusted peer and the peer's own for anyone else", async () => {
    const [a] = await backends(["a"]);
    const whitelist = { whitelist: ["203.0.113.7", "127.0.0.7"] };
    const { port, observer } = await engine({ clientIp: clientIp({}), accessControl: whitelist }, [pool("p", [member("a", a!.port)])]);
    expect((await firstLineVia(port, PROXY, proxyV1("203.0.113.7", 40001), "", keep)).line).toBe("a"); // the proxy itself is not whitelisted
    const accepted = a!.accepted;
    expect((await firstLineVia(port, PROXY, proxyV1("203.0.113.8", 40001), "", keep)).line).toBeNull();
    expect((await firstLineVia(port, STRANGER, "x\n", "", keep)).line).toBeNull(); // untrusted, not whitelisted: refused before any read
    expect(a!.accepted).toBe(accepted);
    expect(observer.of("error").map((e) => e.kind)).toEqual(["access_denied", "access_denied"]);
    expect((await firstLineVia(port, "127.0.0.7", null, "hello\n", keep)).line).toBe("a"); // untrusted, whitelisted, no header: an ordinary client
  });

  it("an untrusted peer is handed on at once (the server may speak first); a PROXY header in its first bytes closes it before any byte of it reaches the backend", async () => {
    const [a] = await backends(["a"]); // greets with "a\n", then echoes what it receives
    const { port, observer } = await engine({ clientIp: clientIp({}) }, [pool("p", [member("a", a!.port)])]);
    for (const header of [proxyV1("203.0.113.7", 40001), proxyV2("203.0.113.7", 40001), "PROXY TCP"]) {
      // The greeting proves it was not held back; nothing echoed proves the backend got none of the header.
      expect(await attemptAfterGreeting(port, STRANGER, header, "after\n")).toEqual({ greeting: "a", rest: "", closed: true });
    }
    expect(observer.proxyErrors()).toEqual([1, 2, 3].map(() => `PROXY header from an untrusted peer ${STRANGER}`));
    expect(observer.contexts.map((c) => c.client)).toEqual([STRANGER, STRANGER, STRANGER]); // never another address
    // Without a header it is an ordinary client: its bytes reach the backend (echoed back), an empty line too.
    expect(await attemptAfterGreeting(port, STRANGER, "PUT /x HTTP/1.0\r\n", "")).toMatchObject({ greeting: "a", rest: "PUT /x HTTP/1.0\r\n", closed: false });
    expect(await attemptAfterGreeting(port, STRANGER, "\r\n", "")).toMatchObject({ greeting: "a", rest: "\r\n", closed: false });
  });

  it("a trusted peer without a header, or with a malformed one, is closed and reported once; the backend sees nothing", async () => {
    const [a] = await backends(["a"]);
    const { port, observer } = await engine({ clientIp: clientIp({}) }, [pool("p", [member("a", a!.port)])]);
    expect((await firstLineVia(port, PROXY, null, "GET / HTTP/1.0\r\n\r\n", keep)).line).toBeNull();
    expect((await firstLineVia(port, PROXY, "PROXY TCP4 1.2.3.4 nonsense\r\n", "", keep)).line).toBeNull();
    const badFamily = proxyV2("203.0.113.7", 1);
    badFamily[13] = 0x51; // family 5: not in the spec
    expect((await firstLineVia(port, PROXY, badFamily, "", keep)).line).toBeNull();
    expect((await firstLineVia(port, PROXY, `PROXY TCP4 ${"1".repeat(120)}\r\n`, "", keep)).line).toBeNull();
    expect(a!.accepted).toBe(0);
    const errors = observer.proxyErrors();
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(new RegExp(`^PROXY header refused from ${PROXY.replace(/\./g, "\\.")}: .*required`));
    for (const cause of errors.slice(1)) expect(cause).toMatch(new RegExp(`^PROXY header refused from ${PROXY.replace(/\./g, "\\.")}: .+`));
    expect(observer.of("open")).toEqual([]);
  });

  it("accept off is today's path (a header is the client's data); switched on by a snapshot, new connections are read, open ones keep going", async () => {
    const [echo] = await backends(["echo"]);
    const { port, observer, apply } = await engine({}, [pool("p", [member("echo", echo!.port)])]);
    const header = proxyV1("203.0.113.7", 40001);
    const open = await firstLineVia(port, PROXY, header, "", keep);
    expect(open.line).toBe("echo");
    const echoed = new Promise<string>((resolve) => open.socket.once("data", (chunk: string) => resolve(chunk)));
    expect(await echoed).toBe(header); // passed through untouched
    expect(observer.contexts[0]!.client).toBe(PROXY);

    expect((await apply(2, { clientIp: clientIp({}) })).errors).toEqual([]);
    expect((await firstLineVia(port, PROXY, header, "", keep)).line).toBe("echo");
    expect(observer.contexts[1]!.client).toBe("203.0.113.7");
    const still = new Promise<string>((resolve) => open.socket.once("data", (chunk: string) => resolve(chunk)));
    open.socket.write("still here\n");
    expect(await still).toBe("still here\n");

    await apply(3, { clientIp: clientIp({ trustedIps: ["127.0.0.8"] }) }); // the proxy is no longer trusted
    expect(await attemptAfterGreeting(port, PROXY, header)).toEqual({ greeting: "echo", rest: "", closed: true });
    expect(observer.proxyErrors()).toEqual([`PROXY header from an untrusted peer ${PROXY}`]);
    expect((await firstLineVia(port, "127.0.0.8", header, "", keep)).line).toBe("echo");
    await apply(4, { clientIp: null }); // off again: the header is data once more
    expect((await firstLineVia(port, STRANGER, header, "", keep)).line).toBe("echo");
    expect(observer.contexts.map((c) => c.client)).toEqual([PROXY, "203.0.113.7", PROXY, "203.0.113.7", STRANGER]);
  });

  it("a UDP listener ignores the setting (not applicable): datagrams flow as without it", async () => {
    const { startUdpBackend, udpAsk } = await import("../test-support/backends");
    const backend = await startUdpBackend("u");
    cleanups.push(() => backend.close());
    const port = await freePort();
    const rt = new EngineRuntime({ drainGraceMs: 100 });
    cleanups.push(() => rt.stop(100));
    const l = listener("u1", port, "pu", { protocol: "UDP", clientIp: clientIp({}) });
    expect((await rt.apply(snapshot(1, [l], [pool("pu", [member("u", backend.port)], { protocol: "UDP" })]))).errors).toEqual([]);
    expect((await udpAsk(port, "ping")).text).toBe("u:ping");
  });
});

/** The accept path alone (StreamBinding over a TCP handler) with a short header deadline and a given cap. */
async function binding(timeoutMs: number, gate = new ConnectionGate(0)) {
  const [a] = await backends(["a"]);
  const port = await freePort();
  const l = listener("l1", port, "p", { clientIp: clientIp({}) });
  const route = { listener: l, pool: createPoolRuntime(pool("p", [member("a", a!.port)])) };
  const handler = new AccessControlledHandler(createTcpHandler(route), route, timeoutMs);
  const observer = new ContextObserver();
  const bound = new StreamBinding("l1", "127.0.0.1", port, new AddressLimits(), observer, handler, gate);
  const { server } = await listenStream("TCP", "127.0.0.1", port, bound.accept);
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  cleanups.push(() => handler.drain(100));
  return { port, observer, backend: a!, gate };
}

describe("PROXY protocol accept: deadline and connection cap", () => {
  it("defaults to a 5 s header deadline", () => {
    expect(DEFAULT_PROXY_HEADER_TIMEOUT_MS).toBe(5_000);
  });

  it("compiles once per setting: the same Trusted IPs keep the compiled set, a change, off or UDP do not", () => {
    const cache = new ProxyAcceptCache();
    const on = listener("l1", 1, "p", { clientIp: clientIp({ trustedIps: ["10.0.0.0/8", "2001:db8::/32"] }) });
    const first = cache.update(on)!;
    expect(first.timeoutMs).toBe(DEFAULT_PROXY_HEADER_TIMEOUT_MS);
    expect(first.trusted.has("10.1.2.3") && first.trusted.has("2001:db8::1")).toBe(true);
    expect(cache.update({ ...on, clientIp: clientIp({ trustedIps: ["10.0.0.0/8", "2001:db8::/32"] }) })).toBe(first);
    const changed = cache.update({ ...on, clientIp: clientIp({ trustedIps: ["10.0.0.0/8"] }) })!;
    expect(changed).not.toBe(first);
    expect(changed.trusted.has("2001:db8::1")).toBe(false);
    expect(cache.update({ ...on, clientIp: clientIp({ proxyProtocolAccept: false }) })).toBeNull();
    expect(cache.update({ ...on, clientIp: null })).toBeNull();
    expect(cache.update({ ...on, protocol: "UDP" })).toBeNull();
  });

  it("a trusted peer whose header does not complete in time is closed at the deadline; the backend sees nothing", async () => {
    const { port, observer, backend } = await binding(300);
    const started = Date.now();
    expect((await firstLineVia(port, PROXY, "PROXY TCP4 203.0.", "", keep)).line).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(observer.proxyErrors()).toEqual([`no complete PROXY header from ${PROXY} within the deadline`]);
    expect(backend.accepted).toBe(0);
  });

  it("a header split across many segments is put together (trusted peer)", async () => {
    const { port, observer } = await binding(2000);
    const socket = net.connect({ port, host: "127.0.0.1", localAddress: PROXY, noDelay: true });
    keep(socket);
    socket.setEncoding("utf8");
    const greeting = new Promise<string>((resolve) => socket.once("data", (chunk: string) => resolve(chunk)));
    const bytes = proxyV2("2001:db8::42", 4242);
    for (let i = 0; i < bytes.length; i += 7) {
      socket.write(bytes.subarray(i, i + 7));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await greeting).toBe("a\n");
    expect(observer.contexts.map((c) => c.client)).toEqual(["2001:db8::42"]);
  });

  it("an untrusted peer that sends nothing (the server speaks first) is handed on at once, not at the deadline; one that starts a header is closed", async () => {
    const { port, observer } = await binding(3000);
    const started = Date.now();
    expect((await firstLineVia(port, STRANGER, null, "", keep)).line).toBe("a");
    expect(Date.now() - started).toBeLessThan(1000); // the deadline is 3 s
    expect(await attemptAfterGreeting(port, STRANGER, "PROXY TCP")).toEqual({ greeting: "a", rest: "", closed: true });
    expect(observer.proxyErrors()).toHaveLength(1);
  });

  it("a connection whose header is still being read holds its place under the engine's connection cap", async () => {
    const { port, observer, gate } = await binding(400, new ConnectionGate(1));
    const slow = firstLineVia(port, PROXY, "PROXY TCP4 ", "", keep); // holds the only place
    await waitFor(() => gate.open === 1, 2000, "slow header admitted");
    expect((await firstLineVia(port, PROXY, proxyV1("203.0.113.7", 1), "", keep)).line).toBeNull();
    expect(observer.of("error").filter((e) => e.kind === "internal").map((e) => e.cause)).toEqual([CONNECTION_LIMIT_REACHED]);
    expect((await slow).line).toBeNull(); // closed at its deadline
    await waitFor(() => gate.open === 0, 2000, "place released");
    expect((await firstLineVia(port, PROXY, proxyV1("203.0.113.7", 1), "", keep)).line).toBe("a");
  });
});
