import dgram from "node:dgram";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createPoolRuntime } from "../pools/pool-runtime";
import { encodeProxyV1, encodeProxyV2 } from "../protocol/proxy-protocol/encode";
import { decodeProxyHeader } from "../protocol/proxy-protocol/decode";
import type { MemberHealthReport } from "../protocol/ipc.types";
import type { ClientIpTransport, SnapshotHealthMonitor } from "../protocol/snapshot.types";
import { waitFor } from "../test-support/backends";
import { member, monitor, pool } from "../test-support/fixtures";
import { httpCheck } from "./checks/http";
import { tcpCheck } from "./checks/tcp";
import { udpCheck } from "./checks/udp";
import { HealthRegistry } from "./health-registry";

/**
 * Health probes of a group that transfers the client IP with the PROXY protocol send a header first
 * (HAProxy `check-send-proxy`): v2 LOCAL, v1 `PROXY UNKNOWN`. Real sockets on loopback.
 */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const signal = new AbortController().signal;
const V2_LOCAL_STREAM = encodeProxyV2(null, "STREAM");
const V2_LOCAL_DGRAM = encodeProxyV2(null, "DGRAM");
const V1_UNKNOWN = encodeProxyV1(null);

/**
 * A TCP member that insists on the PROXY protocol, like nginx `listen … proxy_protocol` or HAProxy
 * `accept-proxy`: a connection whose first bytes are not a header is closed at once; after a header,
 * an HTTP request is answered 200. Records the first bytes and the peer of every connection.
 */
async function proxyOnlyMember(): Promise<{ port: number; connections: { bytes: Buffer; remoteAddress: string; closed: boolean }[] }> {
  const connections: { bytes: Buffer; remoteAddress: string; closed: boolean }[] = [];
  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const entry = { bytes: Buffer.alloc(0), remoteAddress: socket.remoteAddress ?? "", closed: false };
    connections.push(entry);
    open.add(socket);
    socket.on("close", () => {
      entry.closed = true; // every byte the prober sent has been read by now
      open.delete(socket);
    });
    socket.on("error", () => {});
    socket.on("data", (chunk: Buffer) => {
      entry.bytes = Buffer.concat([entry.bytes, chunk]);
      const decoded = decodeProxyHeader(entry.bytes);
      if (decoded.status === "absent" || decoded.status === "invalid") return void socket.destroy(); // no header: refused
      if (decoded.status !== "header") return;
      if (entry.bytes.includes("\r\n\r\n", decoded.length)) socket.end("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => {
    for (const socket of open) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, connections };
}

describe("health checks with a PROXY header", () => {
  it("TCP check: connects, writes the header, and is healthy; without one it writes nothing", async () => {
    const backend = await proxyOnlyMember();
    const target = { address: "127.0.0.1", port: backend.port };
    expect(await tcpCheck({ ...target, proxyHeader: V2_LOCAL_STREAM }, monitor(), signal)).toBe(true);
    await waitFor(() => backend.connections[0]?.bytes.length === V2_LOCAL_STREAM.length, 2000, "the header at the member");
    expect(backend.connections[0]!.bytes).toEqual(V2_LOCAL_STREAM);
    const decoded = decodeProxyHeader(backend.connections[0]!.bytes);
    expect(decoded).toMatchObject({ status: "header", header: { version: 2, command: "LOCAL", addresses: null } });

    expect(await tcpCheck(target, monitor(), signal)).toBe(true);
    await waitFor(() => backend.connections[1]?.closed === true, 2000, "second probe over");
    expect(backend.connections[1]!.bytes.length).toBe(0);
  });

  it("HTTP check: the header comes before the request, on the same connection; a member that requires it answers only then", async () => {
    const backend = await proxyOnlyMember();
    const target = { address: "127.0.0.1", port: backend.port };
    const http: SnapshotHealthMonitor = monitor({ protocol: "HTTP", path: "/health", expectedCodes: [200] });
    expect(await httpCheck({ ...target, proxyHeader: V2_LOCAL_STREAM }, http, signal)).toBe(true);
    const first = backend.connections[0]!.bytes;
    expect(first.subarray(0, V2_LOCAL_STREAM.length)).toEqual(V2_LOCAL_STREAM);
    expect(first.subarray(V2_LOCAL_STREAM.length).toString("latin1")).toMatch(/^GET \/health HTTP\/1\.1\r\n/);

    expect(await httpCheck({ ...target, proxyHeader: V1_UNKNOWN }, http, signal)).toBe(true);
    expect(backend.connections[1]!.bytes.toString("latin1")).toMatch(/^PROXY UNKNOWN\r\nGET \/health HTTP\/1\.1\r\n/);

    expect(await httpCheck(target, http, signal)).toBe(false); // no header: the member closes
  });

  it("UDP check: the v2 LOCAL DGRAM header and the probe payload travel in one datagram", async () => {
    const socket = dgram.createSocket("udp4");
    const datagrams: Buffer[] = [];
    socket.on("message", (msg, rinfo) => {
      datagrams.push(msg);
      socket.send("pong", rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    const target = { address: "127.0.0.1", port: socket.address().port };
    expect(await udpCheck({ ...target, proxyHeader: V2_LOCAL_DGRAM }, monitor({ protocol: "UDP" }), signal)).toBe(true);
    const decoded = decodeProxyHeader(datagrams[0]!);
    if (decoded.status !== "header") throw new Error(`probe datagram without header: ${decoded.status}`);
    expect(decoded.header).toMatchObject({ version: 2, command: "LOCAL", addresses: null });
    expect(datagrams[0]!.subarray(decoded.length).toString()).toBe("ELB-HealthCheck\n");
  });
});

describe("health checking of a PROXY group (registry, per snapshot)", () => {
  /** Runs the registry over the pool as it would be in each snapshot; returns the transitions and a way to move on. */
  function checked(port: number, healthMonitor: SnapshotHealthMonitor, transferClientIp: ClientIpTransport | null) {
    const events: MemberHealthReport[] = [];
    const registry = new HealthRegistry((report) => events.push(report));
    cleanups.push(() => registry.stop());
    let runtime = createPoolRuntime(pool("p", [member("m", port)], { healthMonitor, transferClientIp }));
    registry.update([runtime]);
    return {
      events,
      healthy: () => runtime.byId("m")!.healthy,
      switchTo: (transport: ClientIpTransport | null) => {
        runtime = createPoolRuntime(pool("p", [member("m", port)], { healthMonitor, transferClientIp: transport }), runtime);
        registry.update([runtime]);
      },
    };
  }

  it("a member that requires the header stays healthy while the group sends PROXY; probes without it turn it unhealthy", async () => {
    const backend = await proxyOnlyMember();
    const group = checked(backend.port, monitor({ protocol: "HTTP", path: "/", expectedCodes: [200], maxRetries: 2 }), "PROXY_V2");
    await waitFor(group.healthy, 3000, "healthy with v2 LOCAL probes");
    expect(decodeProxyHeader(backend.connections[0]!.bytes)).toMatchObject({ status: "header", header: { command: "LOCAL" } });

    group.switchTo(null); // Transfer Client IP Address off: probes go bare, the member closes them
    await waitFor(() => !group.healthy(), 6000, "unhealthy once probes carry no header");

    group.switchTo("PROXY_V1");
    await waitFor(group.healthy, 6000, "healthy again with PROXY UNKNOWN");
    expect(backend.connections.at(-1)!.bytes.toString("latin1")).toMatch(/^PROXY UNKNOWN\r\nGET \/ HTTP\/1\.1\r\n/);
    expect(group.events.map((e) => e.status)).toEqual(["HEALTHY", "UNHEALTHY", "HEALTHY"]);
  });

  it("a TRANSPARENT group probes from the engine's own address, without a header", async () => {
    const backend = await proxyOnlyMember();
    const group = checked(backend.port, monitor(), "TRANSPARENT");
    await waitFor(group.healthy, 3000, "healthy (TCP check)");
    await waitFor(() => backend.connections[0]?.closed === true, 2000, "first probe over");
    expect(backend.connections[0]).toMatchObject({ remoteAddress: "127.0.0.1" });
    expect(backend.connections[0]!.bytes.length).toBe(0);
  });
});
