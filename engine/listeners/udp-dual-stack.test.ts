import dgram from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { createPoolRuntime } from "../pools/pool-runtime";
import { startUdpBackend, udpAsk } from "../test-support/backends";
import { listener, member, pool } from "../test-support/fixtures";
import { createUdpListener } from "./udp";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A UDP listener on an IPv6 socket (bound to "::" in production; to the IPv4-mapped loopback address
 * here, so the test listens on loopback only) sees IPv4 clients as "::ffff:a.b.c.d". A session must keep that address as
 * it came (replies go back to it, the frontend keys the session by it); only its connection context is
 * normalised. Regression test: the connection-context refactor once sent replies to the normalised
 * address (EINVAL from an IPv6 socket) and left closed sessions in the map under the raw key.
 */
describe("UDP listener on a dual-stack address", () => {
  it("answers an IPv4 client that arrives as an IPv4-mapped IPv6 address", async () => {
    const backend = await startUdpBackend("a");
    cleanups.push(() => backend.close());
    const runtime = createPoolRuntime(pool("p", [member("a", backend.port)], { protocol: "UDP" }));
    const udp = createUdpListener({ listener: listener("u", 0, "p", { protocol: "UDP" }), pool: runtime }, { maxSessions: 1, evictIdleMs: 0 });
    await udp.bind("::ffff:127.0.0.1", 0); // an IPv6 socket, as for "::", without listening beyond loopback
    cleanups.push(() => udp.close());
    const port = udp.portOf("::ffff:127.0.0.1")!;
    const one = dgram.createSocket("udp4");
    const two = dgram.createSocket("udp4");
    cleanups.push(() => one.close(), () => two.close());
    await new Promise<void>((r) => one.bind(0, "127.0.0.1", () => r()));
    await new Promise<void>((r) => two.bind(0, "127.0.0.1", () => r()));
    expect((await udpAsk(port, "1", one)).text).toBe("a:1");
    expect((await udpAsk(port, "2", two)).text).toBe("a:2"); // evicts one's session (maxSessions 1)
    expect((await udpAsk(port, "3", one)).text).toBe("a:3"); // a new session for one
  });
});
