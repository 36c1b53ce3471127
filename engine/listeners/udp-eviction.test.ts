import dgram from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { createPoolRuntime } from "../pools/pool-runtime";
import { listener, member, pool } from "../test-support/fixtures";
import { createUdpListener, type UdpListenerOptions } from "./udp";

/** Issue 7 item 11.3: a flood of new client ports must not move a live flow; bounds per listener and per address. */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A UDP backend answering every datagram with the source port it came from (the session's upstream port). */
async function portEchoBackend(): Promise<number> {
  const socket = dgram.createSocket("udp4");
  socket.on("message", (_msg, rinfo) => socket.send(String(rinfo.port), rinfo.port, rinfo.address));
  await new Promise<void>((r) => socket.bind(0, "127.0.0.1", () => r()));
  cleanups.push(() => new Promise<void>((r) => socket.close(() => r())));
  return socket.address().port;
}

async function start(options: UdpListenerOptions) {
  const backendPort = await portEchoBackend();
  const runtime = createPoolRuntime(pool("p", [member("a", backendPort)], { protocol: "UDP" }));
  const udp = createUdpListener({ listener: listener("u", 0, "p", { protocol: "UDP" }), pool: runtime }, options);
  await udp.bind("127.0.0.1", 0);
  cleanups.push(() => udp.close());
  return { udp, port: udp.portOf("127.0.0.1")! };
}

async function client(address = "127.0.0.1"): Promise<dgram.Socket> {
  const socket = dgram.createSocket("udp4");
  cleanups.push(() => socket.close());
  await new Promise<void>((r) => socket.bind(0, address, () => r()));
  return socket;
}

/** Sends one datagram and waits for a reply: the upstream port, or null after `ms`. */
function ask(socket: dgram.Socket, port: number, ms = 500): Promise<string | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => (socket.off("message", onMessage), resolve(null)), ms);
    const onMessage = (msg: Buffer) => (clearTimeout(timer), socket.off("message", onMessage), resolve(msg.toString()));
    socket.on("message", onMessage);
    socket.send("x", port, "127.0.0.1");
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("UDP sessions under a flood of new client ports", () => {
  it("keeps an active flow on its upstream port through 2× maxSessions new ports", async () => {
    const maxSessions = 40;
    const { udp, port } = await start({ maxSessions });
    const flow = await client();
    const first = await ask(flow, port);
    expect(first).not.toBeNull();
    const seen = new Set<string | null>([first]);
    let flowing = true;
    const active = (async () => {
      while (flowing) {
        seen.add(await ask(flow, port)); // one datagram per ~100 ms
        await sleep(100);
      }
    })();
    const flood = await Promise.all(Array.from({ length: 2 * maxSessions }, () => client()));
    for (const [i, socket] of flood.entries()) {
      socket.send("flood", port, "127.0.0.1");
      if (i % 10 === 9) await sleep(20); // spread over ~160 ms: the flow speaks in between
    }
    await sleep(400);
    flowing = false;
    await active;
    expect(udp.sessionCount).toBeLessThanOrEqual(maxSessions);
    expect([...seen]).toEqual([first]);
  }, 10_000);

  it("evicts the least recently active session once it has been silent for evictIdleMs", async () => {
    const { udp, port } = await start({ maxSessions: 3, evictIdleMs: 300 });
    const [a, b, c, d] = await Promise.all([client(), client(), client(), client()]);
    const [, bPort, cPort] = [await ask(a!, port), await ask(b!, port), await ask(c!, port)];
    expect(bPort).not.toBeNull();
    expect(cPort).not.toBeNull();
    expect(await ask(d!, port, 200)).toBeNull(); // all three live: the new client is refused
    await sleep(350);
    const aPort = await ask(a!, port); // a speaks again: b is now the least recently active
    expect(await ask(d!, port)).not.toBeNull();
    expect(udp.sessionCount).toBe(3);
    expect(await ask(a!, port)).toBe(aPort); // a kept its session
    expect(await ask(c!, port)).toBe(cPort); // c, silent but more recent than b, kept its session…
    expect(await ask(b!, port, 200)).toBeNull(); // …b was the one evicted: a new client now, refused (a, c, d all live)
  }, 10_000);

  it("bounds the sessions of one client address, leaving room for others", async () => {
    const { udp, port } = await start({ maxSessions: 100, maxSessionsPerAddress: 5 });
    const mine = await Promise.all(Array.from({ length: 6 }, () => client()));
    for (const s of mine.slice(0, 5)) expect(await ask(s, port)).not.toBeNull();
    expect(await ask(mine[5]!, port, 200)).toBeNull();
    expect(await ask(await client("127.0.0.2"), port)).not.toBeNull();
    expect(udp.sessionCount).toBe(6);
  }, 10_000);
});
