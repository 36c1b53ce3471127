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
  const udp: UdpListener = createUdpListener(route, { maxSessions });
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
});
