import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AddressLimits } from "../limits/address-limits";
import type { ConnectionHandler } from "../listeners/listener.types";
import { NOOP_OBSERVER } from "../observe/noop-observer";
import type { ConnectionContext, ConnectionObserver } from "../observe/observer.types";
import type { ErrorKind } from "../observe/error-kind.types";
import { CONNECTION_LIMIT_REACHED, ConnectionGate, DEFAULT_CONNECTION_GATE, DEFAULT_MAX_CONNECTIONS } from "./connection-gate";
import { StreamBinding } from "./stream-binding";
import { EngineRuntime } from "./engine-runtime";
import { freePort, startTcpBackend } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import { holdConnection } from "../test-support/proxy";
import { RecordingObserver } from "../test-support/recording-observer";

/** The engine-wide connection cap on the accept path (hardening 11.8): StreamBinding + ConnectionGate. */
const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A handler that keeps every socket it is given and answers "hi" to each. */
function keepingHandler(): ConnectionHandler & { sockets: net.Socket[] } {
  const sockets: net.Socket[] = [];
  return {
    sockets,
    handle(socket) {
      sockets.push(socket);
      socket.on("error", () => {});
      socket.write("hi");
    },
    update() {},
    drain: async () => {},
  };
}

function recordingObserver(): ConnectionObserver & { errors: { kind: ErrorKind; cause: unknown; context: ConnectionContext }[] } {
  const errors: { kind: ErrorKind; cause: unknown; context: ConnectionContext }[] = [];
  return { ...NOOP_OBSERVER, observesRequests: false, errors, error: (context, kind, cause) => void errors.push({ context, kind, cause }) };
}

/** A listener on 127.0.0.1 behind `gate`; returns its port. */
async function listen(gate: ConnectionGate, handler: ConnectionHandler, observer: ConnectionObserver): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const binding = new StreamBinding("l-cap", "127.0.0.1", port, new AddressLimits(), observer, handler, gate);
  server.on("connection", binding.accept);
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return port;
}

/** Connects; resolves with what the client saw: the greeting, or that it was closed without one. */
function connect(port: number): Promise<{ socket: net.Socket; greeted: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    cleanup.push(() => void socket.destroy());
    socket.on("error", () => {});
    socket.once("data", () => resolve({ socket, greeted: true }));
    socket.once("close", () => resolve({ socket, greeted: false }));
  });
}

describe("engine connection cap", () => {
  it("closes connections past the cap at accept, reports each to the observer, and admits again once one closes", async () => {
    const gate = new ConnectionGate(3);
    const handler = keepingHandler();
    const observer = recordingObserver();
    const port = await listen(gate, handler, observer);
    const clients = [];
    for (let i = 0; i < 5; i++) clients.push(await connect(port));
    expect(clients.map((c) => c.greeted)).toEqual([true, true, true, false, false]);
    expect(handler.sockets).toHaveLength(3); // the refused ones never reached the handler
    expect(gate.open).toBe(3);
    expect(observer.errors).toHaveLength(2);
    for (const e of observer.errors) {
      expect(e.kind).toBe("internal");
      expect(e.cause).toBe(CONNECTION_LIMIT_REACHED);
      expect(e.context.listenerId).toBe("l-cap");
    }
    handler.sockets[0]!.destroy(); // one admitted connection closes: its place is free again
    await sleep(20);
    expect(gate.open).toBe(2);
    expect((await connect(port)).greeted).toBe(true);
    expect(gate.open).toBe(3);
    expect(observer.errors).toHaveLength(2);
  });

  it("counts across the listeners sharing a gate, and across threads sharing its counter", async () => {
    const gate = new ConnectionGate(2);
    const observer = recordingObserver();
    const [a, b] = [await listen(gate, keepingHandler(), observer), await listen(gate, keepingHandler(), observer)];
    expect((await connect(a)).greeted).toBe(true);
    expect((await connect(b)).greeted).toBe(true);
    expect((await connect(a)).greeted).toBe(false);
    expect((await connect(b)).greeted).toBe(false);
    // Two gates over one shared counter (as two worker threads would hold them) see one count.
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const [g1, g2] = [new ConnectionGate(2, shared), new ConnectionGate(2, shared)];
    expect([g1.enter(), g2.enter(), g1.enter()]).toEqual([true, true, false]);
    g2.leave();
    expect([g2.enter(), g1.open]).toEqual([true, 2]);
  });

  it("EngineRuntimeOptions.maxConnections caps the runtime's listeners together", async () => {
    const backend = await startTcpBackend("b");
    cleanup.push(() => backend.close());
    const observer = new RecordingObserver();
    const runtime = new EngineRuntime({ maxConnections: 2, observer, drainGraceMs: 100 });
    cleanup.push(() => runtime.stop(100));
    const [p1, p2] = [await freePort(), await freePort()];
    const result = await runtime.apply(snapshot(1, [listener("l1", p1, "p"), listener("l2", p2, "p")], [pool("p", [member("b", backend.port)])]));
    expect(result.errors).toEqual([]);
    const held = [await holdConnection(p1), await holdConnection(p2)];
    expect(held.map((h) => h.name)).toEqual(["b", "b"]);
    await expect(holdConnection(p1)).rejects.toThrow("closed before greeting");
    expect(observer.events.filter((e) => e.type === "error")).toEqual([{ type: "error", kind: "internal", cause: CONNECTION_LIMIT_REACHED }]);
    for (const h of held) h.socket.destroy();
  });

  it("defaults to 100,000 connections; 0 means no cap", () => {
    expect(DEFAULT_MAX_CONNECTIONS).toBe(100_000);
    expect(DEFAULT_CONNECTION_GATE.max).toBe(100_000);
    const open = new ConnectionGate(0);
    for (let i = 0; i < 1000; i++) expect(open.enter()).toBe(true);
  });

  it("takes a dead worker's connections off the shared total (its own slot), so the cap does not shrink", () => {
    const counter = new Int32Array(new SharedArrayBuffer(4 * 3));
    const a = new ConnectionGate(3, counter, 1);
    const b = new ConnectionGate(3, counter, 2);
    expect([a.enter(), b.enter(), b.enter(), a.enter()]).toEqual([true, true, true, false]); // 3 open: the cap
    ConnectionGate.releaseSlot(counter, 2); // worker b's thread ended with its two connections
    expect(a.open).toBe(1);
    expect([a.enter(), a.enter(), a.enter()]).toEqual([true, true, false]);
    a.leave();
    expect([counter[0], counter[1], counter[2]]).toEqual([2, 2, 0]);
  });
});

