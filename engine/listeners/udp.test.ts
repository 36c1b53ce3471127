import dgram from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { createPoolRuntime } from "../pools/pool-runtime";
import { startUdpBackend, udpAsk, waitFor, type UdpBackend } from "../test-support/backends";
import { listener, member, pool } from "../test-support/fixtures";
import { createUdpListener, type UdpListener } from "./udp";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function boundListener(names: string[], idleTimeoutSeconds = 300, maxSessions?: number) {
  const backends: UdpBackend[] = await Promise.all(names.map((n) => startUdpBackend(n)));
  for (const b of backends) cleanups.push(() => b.close());
  const runtime = createPoolRuntime(pool("p", backends.map((b) => member(b.name, b.port)), { protocol: "UDP" }));
  const route = { listener: listener("u", 0, "p", { protocol: "UDP", idleTimeoutSeconds }), pool: runtime };
  const udp: UdpListener = createUdpListener(route, { maxSessions, evictIdleMs: 0 }); // at the bound: evict the least recently active at once
  await udp.bind("127.0.0.1", 0);
  cleanups.push(() => udp.close());
  return { udp, runtime, backends, route, port: udp.portOf("127.0.0.1")! };
}

function clientSocket(address = "127.0.0.1"): Promise<dgram.Socket> {
  const socket = dgram.createSocket("udp4");
  cleanups.push(() => socket.close());
  return new Promise((r) => socket.bind(0, address, () => r(socket)));
}

describe("UDP listener", () => {
  it("forwards datagrams both ways, replies come from the listener address", async () => {
    const { port } = await boundListener(["a"]);
    const reply = await udpAsk(port, "ping");
    expect(reply).toEqual({ text: "a:ping", from: `127.0.0.1:${port}` });
    const big = "x".repeat(60_000);
    expect((await udpAsk(port, big)).text).toBe(`a:${big}`);
  });

  it("keeps a client ip:port on one member for its session; new clients are balanced", async () => {
    const { port, udp } = await boundListener(["a", "b"]);
    const one = await clientSocket();
    const two = await clientSocket();
    const first = (await udpAsk(port, "1", one)).text;
    for (let i = 0; i < 5; i++) expect((await udpAsk(port, "1", one)).text).toBe(first);
    expect((await udpAsk(port, "1", two)).text).not.toBe(first);
    expect(udp.sessionCount).toBe(2);
  });

  it("ends idle sessions after idleTimeoutSeconds", async () => {
    const { port, udp, runtime } = await boundListener(["a"], 1);
    await udpAsk(port, "hi");
    expect(udp.sessionCount).toBe(1);
    expect(runtime.members[0]!.activeConnections).toBe(1);
    await waitFor(() => udp.sessionCount === 0, 3000, "idle session to close");
    expect(runtime.members[0]!.activeConnections).toBe(0);
  });

  it("bounds the number of sessions", async () => {
    const { port, udp } = await boundListener(["a"], 300, 3);
    for (let i = 0; i < 6; i++) await udpAsk(port, `c${i}`, await clientSocket());
    expect(udp.sessionCount).toBe(3);
  });

  it("moves a session off a member that became unavailable", async () => {
    const { port, runtime } = await boundListener(["a", "b"]);
    const client = await clientSocket();
    const first = (await udpAsk(port, "x", client)).text.split(":")[0]!;
    runtime.byId(first)!.healthy = false;
    const next = (await udpAsk(port, "x", client)).text.split(":")[0]!;
    expect(next).not.toBe(first);
  });

  it("drops datagrams when the listener has no backend server group", async () => {
    const { port, udp, route } = await boundListener(["a"]);
    udp.update({ listener: route.listener, pool: null });
    await expect(udpAsk(port, "x", undefined, "127.0.0.1", 300)).rejects.toThrow(/timed out/);
  });

  it("stops sending to a member removed by update(), at once, while the client keeps sending", async () => {
    const { port, udp, route, runtime, backends } = await boundListener(["a", "b"]);
    const client = await clientSocket();
    const first = (await udpAsk(port, "x", client)).text.split(":")[0]!;
    const removed = backends.find((b) => b.name === first)!;
    const kept = backends.find((b) => b.name !== first)!;
    for (let i = 0; i < 3; i++) expect((await udpAsk(port, "x", client)).text).toBe(`${first}:x`);

    const next = createPoolRuntime(pool("p", [member(kept.name, kept.port)], { protocol: "UDP" }), runtime);
    udp.update({ listener: route.listener, pool: next });
    expect(udp.sessionCount).toBe(0); // its session closed with the update, not on the next datagram
    expect(runtime.byId(first)!.activeConnections).toBe(0);
    const receivedAtUpdate = removed.received;
    for (let i = 0; i < 20; i++) expect((await udpAsk(port, `y${i}`, client)).text).toBe(`${kept.name}:y${i}`);
    expect(removed.received).toBe(receivedAtUpdate);
    expect(next.byId(kept.name)!.activeConnections).toBe(1);
  });

  it("keeps sessions whose member survives the update; closes those whose member moved or whose pool changed", async () => {
    const { port, udp, route, runtime, backends } = await boundListener(["a", "b"]);
    const one = await clientSocket();
    const two = await clientSocket();
    const onA = (await udpAsk(port, "1", one)).text.startsWith("a:") ? one : two;
    await udpAsk(port, "1", onA === one ? two : one);
    expect(udp.sessionCount).toBe(2);
    const [a, b] = backends;

    // Same pool, b now at another port under the same id (another server): only b's session ends.
    const other = await startUdpBackend("b2");
    cleanups.push(() => other.close());
    const v2 = createPoolRuntime(pool("p", [member("a", a!.port, 5), member("b", other.port)], { protocol: "UDP" }), runtime);
    udp.update({ listener: route.listener, pool: v2 });
    expect(udp.sessionCount).toBe(1);
    expect(v2.byId("a")!.activeConnections).toBe(1); // the surviving session counts on the new runtime
    const bBefore = b!.received;
    expect((await udpAsk(port, "2", onA)).text).toBe("a:2");
    expect(b!.received).toBe(bBefore);

    // Weight 0 in the next snapshot: the session re-picks on its next datagram.
    const v3 = createPoolRuntime(pool("p", [member("a", a!.port, 0), member("b", other.port)], { protocol: "UDP" }), v2);
    udp.update({ listener: route.listener, pool: v3 });
    expect((await udpAsk(port, "3", onA)).text).toBe("b2:3");
    expect(v3.byId("a")!.activeConnections).toBe(0);

    // The listener switched to another backend server group: every session ends.
    const q = createPoolRuntime(pool("q", [member("a", a!.port)], { protocol: "UDP" }));
    udp.update({ listener: { ...route.listener, defaultPoolId: "q" }, pool: q });
    expect(udp.sessionCount).toBe(0);
    expect(v3.byId("b")!.activeConnections).toBe(0);
    expect((await udpAsk(port, "4", onA)).text).toBe("a:4");
  });

  it("a one-way stream (client every 100 ms, backend never replies) keeps its session past the idle timeout: client datagrams refresh it", async () => {
    const silent = dgram.createSocket("udp4");
    const sourcePorts: number[] = [];
    silent.on("message", (_msg, rinfo) => sourcePorts.push(rinfo.port)); // never answers
    await new Promise<void>((r) => silent.bind(0, "127.0.0.1", r));
    cleanups.push(() => new Promise<void>((r) => silent.close(() => r())));
    const runtime = createPoolRuntime(pool("p", [member("silent", silent.address().port)], { protocol: "UDP" }));
    const udp = createUdpListener({ listener: listener("u", 0, "p", { protocol: "UDP", idleTimeoutSeconds: 1 }), pool: runtime });
    await udp.bind("127.0.0.1", 0);
    cleanups.push(() => udp.close());
    const port = udp.portOf("127.0.0.1")!;
    const client = await clientSocket();
    const started = Date.now();
    for (let i = 0; Date.now() - started < 2500; i++) {
      client.send(`tick ${i}`, port, "127.0.0.1");
      await new Promise((r) => setTimeout(r, 100));
      expect(udp.sessionCount).toBe(1);
    }
    await waitFor(() => sourcePorts.length >= 20, 1000, "datagrams at the backend");
    expect(new Set(sourcePorts).size).toBe(1); // one upstream socket for 2.5 s: the same session all along
    await waitFor(() => udp.sessionCount === 0, 3000, "session closed once the client stopped"); // the idle timeout is real
  });
});
