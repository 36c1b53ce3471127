import net from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { echoLine, freePort, startTcpBackend, startUdpBackend, tcpHello, udpAsk, waitFor, type TcpBackend } from "../test-support/backends";
import { TEST_EPOCH, listener, member, monitor, pool, snapshot } from "../test-support/fixtures";
import { holdConnection } from "../test-support/proxy";
import { RecordingObserver } from "../test-support/recording-observer";
import type { MemberHealthReport } from "../protocol/ipc.types";
import { EngineRuntime } from "./engine-runtime";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function backends(names: string[]): Promise<TcpBackend[]> {
  const list = await Promise.all(names.map((n) => startTcpBackend(n)));
  for (const b of list) cleanups.push(() => b.close());
  return list;
}

function engine(onHealthChange?: (r: MemberHealthReport) => void): EngineRuntime {
  const runtime = new EngineRuntime({ drainGraceMs: 500, onHealthChange });
  cleanups.push(() => runtime.stop(100));
  return runtime;
}


describe("engine runtime: applying snapshots", () => {
  it("keeps an established connection across a config change, past the drain grace, on the same listening socket", async () => {
    const [a, b] = await backends(["a", "b"]);
    const port = await freePort();
    const rt = engine(); // drain grace 500 ms
    const v1 = await rt.apply(snapshot(1, [listener("l1", port, "p")], [pool("p", [member("a", a!.port)])]));
    expect(v1).toEqual({ applied: true, epoch: TEST_EPOCH, version: 1, hash: "hash-1", errors: [] });
    const held = await holdConnection(port);
    cleanups.push(() => held.socket.destroy());
    expect(held.name).toBe("a");

    const listens = vi.spyOn(net.Server.prototype, "listen");
    cleanups.push(() => listens.mockRestore());
    await rt.apply(snapshot(2, [listener("l1", port, "p", { name: "renamed", idleTimeoutSeconds: 200 })], [pool("p", [member("b", b!.port)])]));
    await rt.apply(snapshot(3, [listener("l1", port, "p", { name: "renamed again" })], [pool("p", [member("b", b!.port)])]));
    expect(listens).not.toHaveBeenCalled(); // the listening socket stayed: nothing was re-bound
    expect(await echoLine(held.socket, "still here")).toBe("still here");
    expect(await tcpHello(port)).toBe("b");

    await new Promise((r) => setTimeout(r, 500 + 300)); // past the drain grace: a drained connection would be cut by now
    expect(held.socket.destroyed).toBe(false);
    expect(await echoLine(held.socket, "after the grace")).toBe("after the grace");
    expect(a!.open.size).toBe(1); // its backend connection too
    expect(a!.accepted).toBe(1);
    expect(await tcpHello(port)).toBe("b");
  });

  it("ignores snapshots that are not newer", async () => {
    const [a] = await backends(["a"]);
    const rt = engine();
    const port = await freePort();
    await rt.apply(snapshot(5, [listener("l1", port, "p")], [pool("p", [member("a", a!.port)])]));
    const stale = await rt.apply(snapshot(4, [], []));
    expect(stale).toMatchObject({ applied: false, version: 5, hash: "hash-5" });
    expect(await tcpHello(port)).toBe("a");
  });

  it("applies a snapshot of another epoch whatever its version (database switched or restored)", async () => {
    const [a, b] = await backends(["a", "b"]);
    const rt = engine();
    const port = await freePort();
    await rt.apply(snapshot(9, [listener("l1", port, "p")], [pool("p", [member("a", a!.port)])], "pglite-1"));
    expect(await tcpHello(port)).toBe("a");

    // The console now runs on PostgreSQL: its versions restart at 1.
    const switched = await rt.apply(snapshot(1, [listener("l1", port, "p")], [pool("p", [member("b", b!.port)])], "postgres-1"));
    expect(switched).toEqual({ applied: true, epoch: "postgres-1", version: 1, hash: "hash-1", errors: [] });
    expect(await tcpHello(port)).toBe("b");

    // Within the new epoch the version rule holds again.
    expect(await rt.apply(snapshot(1, [], [], "postgres-1"))).toMatchObject({ applied: false, epoch: "postgres-1", version: 1 });
    expect(await tcpHello(port)).toBe("b");
    const next = await rt.apply(snapshot(2, [listener("l1", port, "p")], [pool("p", [member("a", a!.port)])], "postgres-1"));
    expect(next).toMatchObject({ applied: true, epoch: "postgres-1", version: 2 });
    expect(await tcpHello(port)).toBe("a");

    // Same content from another epoch (equal hash): nothing to rebuild, but the epoch and version are taken.
    expect(await rt.apply(snapshot(2, [listener("l1", port, "p")], [pool("p", [member("a", a!.port)])], "restored"))).toMatchObject({
      applied: true,
      epoch: "restored",
      version: 2,
    });
    expect(rt.snapshot?.epoch).toBe("restored");
    expect(await tcpHello(port)).toBe("a");
  });

  it("a removed listener stops accepting and drains its connections", async () => {
    const [a] = await backends(["a"]);
    const rt = engine();
    const [port1, port2] = [await freePort(), await freePort()];
    const pools = [pool("p", [member("a", a!.port)])];
    await rt.apply(snapshot(1, [listener("l1", port1, "p"), listener("l2", port2, "p")], pools));
    const held = await holdConnection(port1);
    const closed = new Promise((r) => held.socket.once("close", r));
    await rt.apply(snapshot(2, [listener("l2", port2, "p")], pools));
    await expect(tcpHello(port1)).rejects.toThrow(/ECONNREFUSED/);
    expect(await echoLine(held.socket, "draining")).toBe("draining"); // still served during the grace period
    await closed; // cut at the 500 ms grace
    expect(await tcpHello(port2)).toBe("a");
  });

  it("rebinds a listener whose port or protocol changed", async () => {
    const [a] = await backends(["a"]);
    const rt = engine();
    const [port1, port2] = [await freePort(), await freePort()];
    const pools = [pool("p", [member("a", a!.port)])];
    await rt.apply(snapshot(1, [listener("l1", port1, "p")], pools));
    expect((await rt.apply(snapshot(2, [listener("l1", port2, "p")], pools))).errors).toEqual([]);
    await expect(tcpHello(port1)).rejects.toThrow(/ECONNREFUSED/);
    expect(await tcpHello(port2)).toBe("a");
    // TCP → HTTP on the same port: the old socket is released and the new one binds in the same apply
    expect((await rt.apply(snapshot(3, [listener("l1", port2, "p", { protocol: "HTTP" })], pools))).errors).toEqual([]);
    const status = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port2, "127.0.0.1", () => socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
      socket.once("data", (c) => (socket.destroy(), resolve(c.toString().split("\r\n")[0]!)));
      socket.once("error", reject);
    });
    expect(status).toMatch(/^HTTP\/1\.1 \d{3}/);
  });

  it("reports per-listener errors without stopping the others", async () => {
    const [a] = await backends(["a"]);
    const rt = engine();
    const [good, tls] = [await freePort(), await freePort()];
    const taken = net.createServer(); // another process's socket on the port: the bind fails (loopback only)
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(resolve)));
    const bad = (taken.address() as net.AddressInfo).port;
    const result = await rt.apply(
      snapshot(
        1,
        [
          listener("bad", bad, "p"),
          listener("tls", tls, "p", { protocol: "HTTPS" }),
          listener("good", good, "p"),
          listener("orphan", await freePort(), "missing"),
        ],
        [pool("p", [member("a", a!.port)])],
      ),
    );
    expect(result.errors).toEqual([
      { listenerId: "bad", message: `bind 127.0.0.1:${bad} failed: EADDRINUSE` },
      { listenerId: "tls", message: "HTTPS listener without TLS settings (Server Certificate)" },
      { listenerId: "orphan", message: "backend server group missing not in snapshot" },
    ]);
    expect(await tcpHello(good)).toBe("a");
  });

  it("binds added addresses and a UDP listener on the same port, keeping existing connections", async () => {
    const [a] = await backends(["a"]);
    const u = await startUdpBackend("u");
    cleanups.push(() => u.close());
    const rt = engine();
    const port = await freePort();
    const pools = [pool("p", [member("a", a!.port)]), pool("q", [member("u", u.port)], { protocol: "UDP" })];
    await rt.apply(snapshot(1, [listener("l1", port, "p")], pools));
    const held = await holdConnection(port);
    cleanups.push(() => held.socket.destroy());
    const udp = listener("u1", port, "q", { protocol: "UDP", bindAddresses: ["127.0.0.1", "127.0.0.2"] });
    const result = await rt.apply(snapshot(2, [listener("l1", port, "p", { bindAddresses: ["127.0.0.1", "127.0.0.2"] }), udp], pools));
    expect(result.errors).toEqual([]);
    expect(await tcpHello(port, "127.0.0.2")).toBe("a");
    expect((await udpAsk(port, "hi", undefined, "127.0.0.2")).text).toBe("u:hi");
    expect(await echoLine(held.socket, "same socket")).toBe("same socket");
    await rt.apply(snapshot(3, [listener("l1", port, "p", { bindAddresses: ["127.0.0.2"] })], pools));
    await expect(tcpHello(port, "127.0.0.1")).rejects.toThrow(/ECONNREFUSED/);
    expect(await echoLine(held.socket, "after unbind")).toBe("after unbind");
  });

  it("runs health checks for the held snapshot and reports transitions", async () => {
    const [a] = await backends(["a"]);
    const events: MemberHealthReport[] = [];
    const rt = engine((r) => events.push(r));
    const port = await freePort();
    await rt.apply(snapshot(1, [listener("l1", port, "p")], [pool("p", [member("a", a!.port), member("gone", await freePort())], { healthMonitor: monitor({ maxRetries: 1 }) })]));
    await waitFor(() => events.length === 2, 3000, "both members checked");
    expect(rt.healthReport()).toEqual([
      { poolId: "p", memberId: "a", status: "HEALTHY" },
      { poolId: "p", memberId: "gone", status: "UNHEALTHY" },
    ]);
    for (let i = 0; i < 3; i++) expect(await tcpHello(port)).toBe("a");
  });

  it("a failed accept the server does report (EMFILE) goes to the observer and the rate-limited log; the listener keeps accepting", async () => {
    const [a] = await backends(["a"]);
    const observer = new RecordingObserver();
    const rt = new EngineRuntime({ drainGraceMs: 100, observer, descriptorCheckMs: 0 });
    cleanups.push(() => rt.stop(100));
    const port = await freePort();
    const listening = new Set<net.Server>();
    const listen = net.Server.prototype.listen;
    const spy = vi.spyOn(net.Server.prototype, "listen").mockImplementation(function (this: net.Server, ...args: unknown[]) {
      listening.add(this); // listen() may call itself once more (address lookup)
      return (listen as (...a: unknown[]) => net.Server).apply(this, args);
    });
    await rt.apply(snapshot(1, [listener("l1", port, "p")], [pool("p", [member("a", a!.port)])]));
    spy.mockRestore();
    const servers = [...listening];
    expect(servers).toHaveLength(1);
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    cleanups.push(() => stderr.mockRestore());
    const err = Object.assign(new Error("accept EMFILE"), { code: "EMFILE", errno: -24, syscall: "accept" });
    servers[0]!.emit("error", err);
    servers[0]!.emit("error", err);
    expect(observer.of("error")).toEqual([
      { type: "error", kind: "internal", cause: err },
      { type: "error", kind: "internal", cause: err },
    ]);
    const lines = stderr.mock.calls.map(([line]) => String(line)).filter((line) => line.includes("descriptor limit"));
    expect(lines).toHaveLength(1); // rate-limited: the second one is counted, not printed
    expect(lines[0]).toContain(`descriptor limit reached (EMFILE) at accept 127.0.0.1:${port}`);
    stderr.mockRestore();
    expect(await tcpHello(port)).toBe("a");
  });
});
