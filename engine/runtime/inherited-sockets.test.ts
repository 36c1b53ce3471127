import net from "node:net";
import { openSocket } from "elb-native-socket";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, startTcpBackend, startUdpBackend, tcpHello, udpAsk } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import { EngineRuntime } from "./engine-runtime";
import { InheritedSockets, parseInheritedSockets, splitAmongWorkers, type InheritedSocket } from "./inherited-sockets";

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const tcp = (port: number, fd: number, address = "127.0.0.1"): InheritedSocket => ({ type: "tcp", address, port, fd });

describe("ELB_ENGINE_INHERITED_SOCKETS", () => {
  it("reads a JSON list of { type, address, port, fd } and leaves out what is not one", () => {
    const logged: string[] = [];
    const text = JSON.stringify([tcp(80, 4), { type: "udp", address: "::1", port: 53, fd: 5 }, { type: "sctp", address: "127.0.0.1", port: 1, fd: 6 }, { type: "tcp", address: "localhost", port: 1, fd: 7 }, tcp(81, 2)]);
    expect(parseInheritedSockets(text, (m) => logged.push(m))).toEqual([tcp(80, 4), { type: "udp", address: "::1", port: 53, fd: 5 }]);
    expect(logged).toHaveLength(3);
    expect(parseInheritedSockets(undefined, (m) => logged.push(m))).toEqual([]);
    expect(parseInheritedSockets("{", (m) => logged.push(m))).toEqual([]);
    expect(logged.at(-1)).toMatch(/not JSON/);
  });

  it("splits sockets among workers round robin per address and port: one each before anyone gets two", () => {
    const sockets = [tcp(80, 4), tcp(80, 5), tcp(80, 6), tcp(81, 7), { type: "udp" as const, address: "127.0.0.1", port: 80, fd: 8 }];
    expect(splitAmongWorkers(sockets, 2).map((share) => share.map((s) => s.fd))).toEqual([[4, 6, 7, 8], [5]]);
    expect(splitAmongWorkers(sockets, 1)).toEqual([sockets]);
  });

  it("hands out each descriptor once, by type, address and port; closes the ones left", () => {
    const registry = new InheritedSockets([tcp(80, 4), tcp(80, 5), tcp(81, 6), { type: "udp", address: "127.0.0.1", port: 80, fd: 7 }]);
    expect(registry.take("tcp", "127.0.0.1", 80)).toBe(4);
    expect(registry.take("udp", "127.0.0.1", 81)).toBeUndefined();
    expect(registry.takeAll("tcp", "127.0.0.1", 80)).toEqual([5]);
    expect(registry.take("tcp", "127.0.0.1", 80)).toBeUndefined();
    const closed: number[] = [];
    expect(registry.closeLeftovers((fd) => closed.push(fd)).map((s) => s.fd)).toEqual([6, 7]);
    expect(closed).toEqual([6, 7]);
    expect(registry.size).toBe(0);
  });
});

describe("EngineRuntime with inherited sockets", () => {
  it("listens on the inherited descriptors (every one of an address) and lists them for the next upgrade; a fresh socket elsewhere", async () => {
    const backend = await startTcpBackend("a");
    cleanups.push(() => backend.close());
    const [port, other] = [await freePort(), await freePort()];
    const fds = [openSocket(4, "tcp", "127.0.0.1", port, true), openSocket(4, "tcp", "127.0.0.1", port, true)];
    const rt = new EngineRuntime({ inheritedSockets: fds.map((fd) => tcp(port, fd)), descriptorCheckMs: 0 });
    cleanups.push(() => rt.stop(0));
    const result = await rt.apply(snapshot(1, [listener("l1", port, "p"), listener("l2", other, "p")], [pool("p", [member("a", backend.port)])]));
    expect(result.errors).toEqual([]);
    const listed = await rt.listeningSockets();
    expect(listed.filter((s) => s.port === port).map((s) => s.fd)).toEqual(fds);
    expect(listed.filter((s) => s.port === other)).toHaveLength(1);
    const answers = await Promise.all(Array.from({ length: 32 }, () => tcpHello(port)));
    expect(new Set(answers)).toEqual(new Set(["a"]));
    expect(await tcpHello(other)).toBe("a");
  });

  it("binds UDP listeners on inherited sockets too, reading every one", async () => {
    const backend = await startUdpBackend("u");
    cleanups.push(() => backend.close());
    const port = await freePort();
    const fds = [openSocket(4, "udp", "127.0.0.1", port, true), openSocket(4, "udp", "127.0.0.1", port, true)];
    const rt = new EngineRuntime({ inheritedSockets: fds.map((fd) => ({ type: "udp", address: "127.0.0.1", port, fd })), descriptorCheckMs: 0 });
    cleanups.push(() => rt.stop(0));
    await rt.apply(snapshot(1, [listener("u", port, "p", { protocol: "UDP" })], [pool("p", [member("u", backend.port)], { protocol: "UDP" })]));
    expect((await rt.listeningSockets()).map((s) => [s.type, s.fd])).toEqual(fds.map((fd) => ["udp", fd]));
    // 16 clients: the kernel hashes each to one socket of the group; every one gets its answer.
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => udpAsk(port, String(i))));
    expect(answers.map((a) => a.text)).toEqual(Array.from({ length: 16 }, (_, i) => `u:${i}`));
  });

  it("refuses a second listener on an address and port another listener of the runtime holds (EADDRINUSE), as a plain bind did", async () => {
    const backend = await startTcpBackend("a");
    cleanups.push(() => backend.close());
    const port = await freePort();
    const rt = new EngineRuntime({ descriptorCheckMs: 0 });
    cleanups.push(() => rt.stop(0));
    const pools = [pool("p", [member("a", backend.port)])];
    const first = await rt.apply(snapshot(1, [listener("l1", port, "p"), listener("l2", port, "p")], pools));
    expect(first.errors).toEqual([{ listenerId: "l2", message: `bind 127.0.0.1:${port} failed: EADDRINUSE` }]);
    // The port moves to l2 in one snapshot: l1's claim goes with it.
    const second = await rt.apply(snapshot(2, [listener("l2", port, "p")], pools));
    expect(second.errors).toEqual([]);
    expect(await tcpHello(port)).toBe("a");
    // TCP and UDP on one port are two sockets, no clash.
    const third = await rt.apply(snapshot(3, [listener("l2", port, "p"), listener("u", port, "p", { protocol: "UDP" })], pools));
    expect(third.errors).toEqual([]);
  });

  it("still refuses a port held by another program's socket (without SO_REUSEPORT)", async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => squatter.close(resolve)));
    const port = (squatter.address() as net.AddressInfo).port;
    const rt = new EngineRuntime({ descriptorCheckMs: 0 });
    cleanups.push(() => rt.stop(0));
    const result = await rt.apply(snapshot(1, [listener("l1", port, "p")], [pool("p", [member("a", 1)])]));
    expect(result.errors).toEqual([{ listenerId: "l1", message: `bind 127.0.0.1:${port} failed: EADDRINUSE` }]);
  });
});
