import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createConnectionContext } from "../observe/connection-context";
import { createPoolRuntime } from "../pools/pool-runtime";
import { tcpHello } from "../test-support/backends";
import { listener, member, pool } from "../test-support/fixtures";
import { RecordingObserver } from "../test-support/recording-observer";
import { createTcpHandler } from "./tcp";

/**
 * Transparent mode refusals are the engine's own (the client's address cannot be this connection's
 * source: another family, no CAP_NET_ADMIN), not the member's: they must not count towards passive
 * ejection, or clients of one family would eject the members of the other for everyone.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A TCP server on `host` greeting every connection with `name`. */
async function greeter(name: string, host: string): Promise<number> {
  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => {});
    socket.end(`${name}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  cleanups.push(() => {
    for (const socket of open) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as AddressInfo).port;
}

describe("TCP listener, TRANSPARENT: a refused source address", () => {
  it("is reported as connect_failed with its cause and fails over, but counts nothing against the member", async () => {
    const runtime = createPoolRuntime(
      pool("p", [member("v4", await greeter("v4", "127.0.0.1")), member("v6", await greeter("v6", "::1"), 1, "::1")], { transferClientIp: "TRANSPARENT" }),
    );
    const observer = new RecordingObserver();
    const handler = createTcpHandler({ listener: listener("l", 0, "p"), pool: runtime });
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
    await new Promise<void>((resolve) => server.listen(0, "::1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    const binding = { listenerId: "l", localAddress: "::1", localPort: port, bandwidth: null, observer };
    server.on("connection", (socket) => handler.handle(socket, createConnectionContext(binding, socket.remoteAddress, socket.remotePort)));
    const refusals = () => observer.of("error").filter((e) => e.kind === "connect_failed");

    // IPv6 clients: the IPv4 member cannot be reached from ::1; each such pick fails over to the IPv6 one.
    for (let i = 0; i < 16 && refusals().length < 4; i++) expect(await tcpHello(port, "::1")).toBe("v6");
    expect(refusals().length).toBe(4); // the IPv4 member was offered again and again: never ejected
    expect((refusals()[0]!.cause as NodeJS.ErrnoException).code).toBe("EAFNOSUPPORT");
    const v4 = runtime.byId("v4")!;
    expect([v4.failures, v4.ejectedUntil]).toEqual([0, 0]);
  });
});
