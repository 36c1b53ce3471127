import dgram from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { decodeProxyHeader } from "../protocol/proxy-protocol/decode";
import type { ProxyDecodeResult } from "../protocol/proxy-protocol/proxy-header.types";
import type { ClientIpTransport, SnapshotPool } from "../protocol/snapshot.types";
import { EngineRuntime } from "../runtime/engine-runtime";
import { freePort, waitFor } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import { RecordingObserver } from "../test-support/recording-observer";

/**
 * Transfer Client IP Address on UDP listeners through the engine runtime, on loopback: clients bound to
 * their own 127.x address, a member that decodes every datagram with `decodeProxyHeader` (the spec: "the
 * receiver MUST parse the header independently for each received datagram") and answers bare.
 */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One datagram as the member got it: its source, its bytes decoded, and the payload after any header. */
interface Received {
  from: string;
  fromPort: number;
  decoded: ProxyDecodeResult;
  payload: string;
}

/** A UDP member that records each datagram and replies `re:<payload>` (no header) to its source. */
async function udpMember(): Promise<{ port: number; received: Received[] }> {
  const socket = dgram.createSocket("udp4");
  const received: Received[] = [];
  socket.on("message", (datagram, rinfo) => {
    const decoded = decodeProxyHeader(datagram);
    const payload = datagram.subarray(decoded.status === "header" ? decoded.length : 0).toString("latin1");
    received.push({ from: rinfo.address, fromPort: rinfo.port, decoded, payload });
    socket.send(`re:${payload}`, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { port: socket.address().port, received };
}

/** A client socket bound to `address`; `ask` sends one datagram to the listener and waits for one reply. */
async function udpClient(address: string, listenerPort: number) {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return {
    port: socket.address().port,
    ask: (payload: string) =>
      new Promise<{ text: string; from: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reply to ${payload} within 2 s`)), 2000);
        socket.once("message", (msg, rinfo) => {
          clearTimeout(timer);
          resolve({ text: msg.toString("latin1"), from: `${rinfo.address}:${rinfo.port}` });
        });
        socket.send(payload, listenerPort, "127.0.0.1");
      }),
  };
}

async function engineWith(pools: SnapshotPool[], listenerPort: number) {
  const observer = new RecordingObserver();
  const runtime = new EngineRuntime({ drainGraceMs: 200, observer });
  cleanups.push(() => runtime.stop(100));
  const listeners = [listener("u", listenerPort, "p", { protocol: "UDP" })];
  expect((await runtime.apply(snapshot(1, listeners, pools))).errors).toEqual([]);
  return {
    observer,
    switchTo: async (version: number, transport: ClientIpTransport | null) => {
      const next = pools.map((p) => ({ ...p, transferClientIp: transport }));
      expect((await runtime.apply(snapshot(version, listeners, next))).errors).toEqual([]);
    },
  };
}

const udpPool = (port: number, transferClientIp: ClientIpTransport | null) => pool("p", [member("m", port)], { protocol: "UDP", transferClientIp });

describe("UDP listener, Transfer Client IP Address", () => {
  it("PROXY_V2: every datagram carries a v2 PROXY/DGRAM header naming the client's 127.x:port and the listener; bare replies reach the client", async () => {
    const backend = await udpMember();
    const port = await freePort();
    await engineWith([udpPool(backend.port, "PROXY_V2")], port);
    const client = await udpClient("127.0.0.51", port);
    for (const payload of ["one", "two", "three"]) {
      expect(await client.ask(payload)).toEqual({ text: `re:${payload}`, from: `127.0.0.1:${port}` });
    }
    expect(backend.received.map((r) => r.payload)).toEqual(["one", "two", "three"]);
    for (const { decoded } of backend.received) {
      if (decoded.status !== "header") throw new Error(`a datagram without its header: ${decoded.status}`);
      expect(decoded.header).toMatchObject({ version: 2, command: "PROXY", transport: "DGRAM" });
      expect(decoded.header.addresses).toEqual({
        family: "IPv4",
        sourceAddress: "127.0.0.51",
        sourcePort: client.port,
        destinationAddress: "127.0.0.1",
        destinationPort: port,
      });
    }
  });

  it("PROXY_V2: datagrams queued while the session's socket connects each get the header too", async () => {
    const backend = await udpMember();
    const port = await freePort();
    await engineWith([udpPool(backend.port, "PROXY_V2")], port);
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.52", resolve));
    cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    for (let i = 0; i < 5; i++) socket.send(`burst${i}`, port, "127.0.0.1"); // before any reply: the first ones wait for the connect
    await waitFor(() => backend.received.length === 5, 3000, "five datagrams at the member");
    expect(backend.received.every((r) => r.decoded.status === "header" && r.decoded.header.addresses?.sourceAddress === "127.0.0.52")).toBe(true);
    expect(backend.received.map((r) => r.payload).sort()).toEqual(["burst0", "burst1", "burst2", "burst3", "burst4"]);
  });

  it("PROXY_V2: a datagram too large for UDP once the header is in front is dropped and reported; the session lives on", async () => {
    const backend = await udpMember();
    const port = await freePort();
    const { observer } = await engineWith([udpPool(backend.port, "PROXY_V2")], port);
    const client = await udpClient("127.0.0.54", port);
    expect((await client.ask("before")).text).toBe("re:before");
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.55", resolve));
    cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    const big = Buffer.alloc(65_500, 0x61); // fits UDP alone (65507), not with the 28-byte v2 header
    socket.send(big, port, "127.0.0.1");
    await waitFor(() => observer.of("error").length > 0, 2000, "the oversize datagram reported");
    socket.send("after", port, "127.0.0.1");
    await waitFor(() => backend.received.some((r) => r.payload === "after"), 2000, "the next datagram of the same client");
    expect(backend.received.map((r) => r.payload.length)).toEqual([6, 5]); // "before", "after": the big one never left
    expect(observer.of("error").map((e) => e.kind)).toEqual(["internal"]);
    // One session per client: the oversize datagram did not end the second client's session.
    expect(observer.of("open").length).toBe(2);
    expect(observer.of("close").length).toBe(0);
  });

  it("PROXY_V1 is not a UDP transport: datagrams go bare", async () => {
    const backend = await udpMember();
    const port = await freePort();
    await engineWith([udpPool(backend.port, "PROXY_V1")], port);
    const client = await udpClient("127.0.0.53", port);
    expect((await client.ask("plain")).text).toBe("re:plain");
    expect(backend.received[0]).toMatchObject({ payload: "plain", from: "127.0.0.1" });
    expect(backend.received[0]!.decoded.status).toBe("absent");
  });

  it("TRANSPARENT: the member sees the client's own 127.x as the datagram's source, and its replies reach the client", async () => {
    const backend = await udpMember();
    const port = await freePort();
    await engineWith([udpPool(backend.port, "TRANSPARENT")], port);
    const client = await udpClient("127.0.0.54", port);
    expect(await client.ask("hello")).toEqual({ text: "re:hello", from: `127.0.0.1:${port}` });
    expect(await client.ask("again")).toEqual({ text: "re:again", from: `127.0.0.1:${port}` });
    expect(backend.received.map((r) => [r.from, r.payload, r.decoded.status])).toEqual([
      ["127.0.0.54", "hello", "absent"],
      ["127.0.0.54", "again", "absent"],
    ]);
    expect(new Set(backend.received.map((r) => r.fromPort)).size).toBe(1); // one session, one upstream socket
  });

  it("TRANSPARENT: a client address the member cannot be reached from ends the session as a failed connect, with its cause", async () => {
    const backend = await udpMember(); // IPv4 only: an IPv6 client's address cannot be the source towards it
    const port = await freePort();
    const observer = new RecordingObserver();
    const runtime = new EngineRuntime({ drainGraceMs: 200, observer });
    cleanups.push(() => runtime.stop(100));
    const listeners = [listener("u", port, "p", { protocol: "UDP", bindAddresses: ["::1"] })];
    expect((await runtime.apply(snapshot(1, listeners, [udpPool(backend.port, "TRANSPARENT")]))).errors).toEqual([]);
    const socket = dgram.createSocket("udp6");
    await new Promise<void>((resolve) => socket.bind(0, "::1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    socket.send("nowhere", port, "::1");
    await waitFor(() => observer.of("close").length === 1, 3000, "the session to end");
    const failed = observer.of("error");
    expect(failed.map((e) => e.kind)).toEqual(["connect_failed"]);
    expect(failed[0]!.cause).toBeInstanceOf(Error);
    expect(backend.received).toHaveLength(0);
  });

  it("a snapshot that switches the transfer reaches a live flow at its next datagram, and the client keeps getting replies", async () => {
    const backend = await udpMember();
    const port = await freePort();
    const engine = await engineWith([udpPool(backend.port, null)], port);
    const client = await udpClient("127.0.0.55", port);
    expect((await client.ask("before")).text).toBe("re:before");
    await engine.switchTo(2, "PROXY_V2");
    expect((await client.ask("after")).text).toBe("re:after");
    await engine.switchTo(3, "TRANSPARENT");
    expect((await client.ask("transparent")).text).toBe("re:transparent");
    await engine.switchTo(4, null);
    expect((await client.ask("off")).text).toBe("re:off");
    const seen = backend.received.map((r) => ({ payload: r.payload, header: r.decoded.status, from: r.from }));
    expect(seen).toEqual([
      { payload: "before", header: "absent", from: "127.0.0.1" },
      { payload: "after", header: "header", from: "127.0.0.1" },
      { payload: "transparent", header: "absent", from: "127.0.0.55" },
      { payload: "off", header: "absent", from: "127.0.0.1" },
    ]);
  });
});
