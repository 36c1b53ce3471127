import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { decodeProxyHeader } from "../protocol/proxy-protocol/decode";
import type { ClientIpTransport, SnapshotPool } from "../protocol/snapshot.types";
import { EngineRuntime } from "../runtime/engine-runtime";
import { freePort } from "../test-support/backends";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import { RecordingObserver } from "../test-support/recording-observer";

/**
 * Transfer Client IP Address on TCP listeners, through the engine runtime on real loopback sockets:
 * clients bound to their own 127.x address, members that record every byte they receive and the
 * address their accepted socket shows.
 */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One connection a recording member accepted: its peer and every byte received so far. */
interface Accepted {
  remoteAddress: string;
  remotePort: number;
  bytes: Buffer;
  socket: net.Socket;
}

/**
 * A member that records what arrives. `greet`: "at-once" writes "hi\n" on accept; "after-header" only
 * once a complete PROXY header arrived (a protocol whose server speaks first, behind the PROXY protocol).
 * Every line after the header is answered with `ok:<line>\n`.
 */
async function recordingMember(greet: "at-once" | "after-header" = "at-once", host = "127.0.0.1"): Promise<{ port: number; accepted: Accepted[] }> {
  const accepted: Accepted[] = [];
  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const entry: Accepted = { remoteAddress: socket.remoteAddress ?? "", remotePort: socket.remotePort ?? 0, bytes: Buffer.alloc(0), socket };
    accepted.push(entry);
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => {});
    if (greet === "at-once") socket.write("hi\n");
    let greeted = greet === "at-once";
    let answered = 0;
    socket.on("data", (chunk: Buffer) => {
      entry.bytes = Buffer.concat([entry.bytes, chunk]);
      const decoded = decodeProxyHeader(entry.bytes);
      const bodyStart = decoded.status === "header" ? decoded.length : decoded.status === "incomplete" ? -1 : 0;
      if (bodyStart < 0) return;
      if (!greeted && decoded.status === "header") {
        greeted = true;
        socket.write("hi\n");
      }
      const lines = entry.bytes.subarray(bodyStart).toString("latin1").split("\n").slice(0, -1);
      for (; answered < lines.length; answered++) socket.write(`ok:${lines[answered]}\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  cleanups.push(() => {
    for (const socket of open) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, accepted };
}

/** A client connection from `localAddress` that reads lines. */
interface Client {
  socket: net.Socket;
  /** Resolves with the next line from the listener. */
  line(): Promise<string>;
}

function connectClient(port: number, localAddress: string, host = "127.0.0.1"): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, localAddress });
    cleanups.push(() => socket.destroy());
    let buffered = "";
    const waiting: ((line: string) => void)[] = [];
    const pump = () => {
      let end: number;
      while (waiting.length > 0 && (end = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        waiting.shift()!(line);
      }
    };
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      buffered += chunk;
      pump();
    });
    socket.once("error", reject);
    const line = () =>
      new Promise<string>((resolveLine, rejectLine) => {
        const timer = setTimeout(() => rejectLine(new Error("no line within 3 s")), 3000);
        waiting.push((text) => {
          clearTimeout(timer);
          resolveLine(text);
        });
        pump();
      });
    socket.once("connect", () => resolve({ socket, line }));
  });
}

async function engineWith(pools: SnapshotPool[], listenerPort: number, bindAddresses = ["127.0.0.1"]) {
  const observer = new RecordingObserver();
  const runtime = new EngineRuntime({ drainGraceMs: 200, observer });
  cleanups.push(() => runtime.stop(100));
  const listeners = [listener("l", listenerPort, "p", { bindAddresses })];
  const result = await runtime.apply(snapshot(1, listeners, pools));
  expect(result.errors).toEqual([]);
  return {
    observer,
    /** Applies the next version with the group's transfer set to `transport`. */
    switchTo: async (version: number, transport: ClientIpTransport | null) => {
      const next = pools.map((p) => ({ ...p, transferClientIp: transport }));
      expect((await runtime.apply(snapshot(version, listeners, next))).errors).toEqual([]);
    },
  };
}

/** The header at the start of `bytes`, checked complete. */
function headerOf(bytes: Buffer) {
  const decoded = decodeProxyHeader(bytes);
  if (decoded.status !== "header") throw new Error(`no PROXY header at the start: ${decoded.status} ${JSON.stringify(bytes.toString("latin1"))}`);
  return decoded;
}

describe("TCP listener, Transfer Client IP Address with the PROXY protocol", () => {
  it("PROXY_V1: the backend connection starts with the v1 line naming the client's own 127.x:port and the listener address:port, then the client's bytes", async () => {
    const backend = await recordingMember();
    const port = await freePort();
    await engineWith([pool("p", [member("m", backend.port)], { transferClientIp: "PROXY_V1" })], port);
    const client = await connectClient(port, "127.0.0.41");
    expect(await client.line()).toBe("hi");
    client.socket.write("hello\n");
    expect(await client.line()).toBe("ok:hello");
    const clientPort = client.socket.localPort!;
    expect(backend.accepted[0]!.bytes.toString("latin1")).toBe(`PROXY TCP4 127.0.0.41 127.0.0.1 ${clientPort} ${port}\r\nhello\n`);
  });

  it("PROXY_V2: the backend connection starts with a v2 PROXY/STREAM header (client as source, listener as destination), then the client's bytes", async () => {
    const backend = await recordingMember();
    const port = await freePort();
    await engineWith([pool("p", [member("m", backend.port)], { transferClientIp: "PROXY_V2" })], port);
    const client = await connectClient(port, "127.0.0.42");
    expect(await client.line()).toBe("hi");
    client.socket.write("one\n");
    expect(await client.line()).toBe("ok:one");
    client.socket.write("two\n");
    expect(await client.line()).toBe("ok:two");
    const bytes = backend.accepted[0]!.bytes;
    const decoded = headerOf(bytes);
    expect(bytes.subarray(0, 12)).toEqual(Buffer.from("0d0a0d0a000d0a515549540a", "hex")); // the signature is the very first byte
    expect(decoded.header).toMatchObject({ version: 2, command: "PROXY", transport: "STREAM" });
    expect(decoded.header.addresses).toEqual({
      family: "IPv4",
      sourceAddress: "127.0.0.42",
      sourcePort: client.socket.localPort,
      destinationAddress: "127.0.0.1",
      destinationPort: port,
    });
    expect(bytes.subarray(decoded.length).toString("latin1")).toBe("one\ntwo\n"); // once, not per chunk
  });

  it("an IPv6 client on an IPv6 listener: TCP6 in v1, AF_INET6 in v2", async () => {
    const backend = await recordingMember();
    const port = await freePort();
    const engine = await engineWith([pool("p", [member("m", backend.port)], { transferClientIp: "PROXY_V1" })], port, ["::1"]);
    const v1 = await connectClient(port, "::1", "::1");
    expect(await v1.line()).toBe("hi");
    v1.socket.write("six\n");
    expect(await v1.line()).toBe("ok:six");
    expect(backend.accepted[0]!.bytes.toString("latin1")).toBe(`PROXY TCP6 ::1 ::1 ${v1.socket.localPort} ${port}\r\nsix\n`);

    await engine.switchTo(2, "PROXY_V2");
    const v2 = await connectClient(port, "::1", "::1");
    expect(await v2.line()).toBe("hi");
    expect(headerOf(backend.accepted[1]!.bytes).header.addresses).toEqual({
      family: "IPv6",
      sourceAddress: "::1",
      sourcePort: v2.socket.localPort,
      destinationAddress: "::1",
      destinationPort: port,
    });
  });

  it("sends the header without waiting for client data, so a member that speaks first (after the header) can greet", async () => {
    const backend = await recordingMember("after-header");
    const port = await freePort();
    await engineWith([pool("p", [member("m", backend.port)], { transferClientIp: "PROXY_V2" })], port);
    const client = await connectClient(port, "127.0.0.43");
    expect(await client.line()).toBe("hi"); // the client has sent nothing yet
    expect(headerOf(backend.accepted[0]!.bytes).length).toBe(backend.accepted[0]!.bytes.length);
  });

  it("a failover connection to the next member starts with the header again", async () => {
    // First in round robin: refused, the session moves on. On an address nothing here listens on: once in
    // CI the two freePort() calls gave the same port, so "dead" was the engine's own listener — a session
    // through itself, whose backend read our header after the inner session's and answered it as a line.
    const dead = await freePort();
    const backend = await recordingMember();
    const port = await freePort();
    const { observer } = await engineWith([pool("p", [member("dead", dead, 1, "127.0.0.201"), member("live", backend.port)], { transferClientIp: "PROXY_V1" })], port);
    const client = await connectClient(port, "127.0.0.44");
    expect(await client.line()).toBe("hi");
    client.socket.write("after failover\n");
    expect(await client.line()).toBe("ok:after failover");
    expect(observer.of("error").map((e) => e.kind)).toContain("connect_failed"); // the failover happened
    expect(backend.accepted[0]!.bytes.toString("latin1")).toBe(`PROXY TCP4 127.0.0.44 127.0.0.1 ${client.socket.localPort} ${port}\r\nafter failover\n`);
  });

  it("a snapshot that switches the transfer applies to new connections; open ones keep going as they started", async () => {
    const backend = await recordingMember();
    const port = await freePort();
    const engine = await engineWith([pool("p", [member("m", backend.port)], { transferClientIp: "PROXY_V2" })], port);
    const first = await connectClient(port, "127.0.0.45");
    expect(await first.line()).toBe("hi");

    await engine.switchTo(2, null);
    const second = await connectClient(port, "127.0.0.46");
    expect(await second.line()).toBe("hi");
    second.socket.write("plain\n");
    expect(await second.line()).toBe("ok:plain");
    expect(backend.accepted[1]!.bytes.toString("latin1")).toBe("plain\n"); // off: no header

    await engine.switchTo(3, "PROXY_V1");
    const third = await connectClient(port, "127.0.0.47");
    expect(await third.line()).toBe("hi");
    third.socket.write("v1\n");
    expect(await third.line()).toBe("ok:v1");
    expect(backend.accepted[2]!.bytes.toString("latin1")).toBe(`PROXY TCP4 127.0.0.47 127.0.0.1 ${third.socket.localPort} ${port}\r\nv1\n`);

    first.socket.write("still here\n"); // opened under PROXY_V2, two snapshots ago
    expect(await first.line()).toBe("ok:still here");
    const bytes = backend.accepted[0]!.bytes;
    expect(headerOf(bytes).header.addresses?.sourceAddress).toBe("127.0.0.45");
    expect(bytes.subarray(headerOf(bytes).length).toString("latin1")).toBe("still here\n");
    expect(backend.accepted).toHaveLength(3); // nothing reconnected
  });
});

describe("TCP listener, Transfer Client IP Address TRANSPARENT", () => {
  it("connects to the member from the client's own address: the member's accepted socket shows the client's 127.x, no header", async () => {
    const backend = await recordingMember();
    const port = await freePort();
    await engineWith([pool("p", [member("m", backend.port)], { transferClientIp: "TRANSPARENT" })], port);
    const client = await connectClient(port, "127.0.0.48");
    expect(await client.line()).toBe("hi");
    client.socket.write("through\n");
    expect(await client.line()).toBe("ok:through");
    expect(backend.accepted[0]!.remoteAddress).toBe("127.0.0.48");
    expect(backend.accepted[0]!.bytes.toString("latin1")).toBe("through\n");

    // Large transfers both ways still flow (the backend socket reads through the shared buffer).
    const big = "x".repeat(200_000);
    client.socket.write(`${big}\n`);
    expect(await client.line()).toBe(`ok:${big}`);
  });

  it("a source address the member cannot be reached from is a failed connect of that member (reported with its cause); the next member serves", async () => {
    const v4 = await recordingMember(); // an IPv6 client (::1) cannot be the source of a connection to 127.0.0.1
    const v6 = await recordingMember("at-once", "::1");
    const port = await freePort();
    const { observer } = await engineWith(
      [pool("p", [member("v4", v4.port), member("v6", v6.port, 1, "::1")], { transferClientIp: "TRANSPARENT" })],
      port,
      ["::1"],
    );
    const client = await connectClient(port, "::1", "::1");
    expect(await client.line()).toBe("hi");
    const failed = observer.of("error").filter((e) => e.kind === "connect_failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.cause).toBeInstanceOf(Error);
    expect((failed[0]!.cause as Error).message).toMatch(/::1.*127\.0\.0\.1/); // says which source could not reach which member
    expect(v4.accepted).toHaveLength(0);
    expect(v6.accepted[0]!.remoteAddress).toBe("::1");
  });
});

describe("TCP listener without Transfer Client IP Address", () => {
  it("sends no header and connects from the engine's address", async () => {
    const backend = await recordingMember();
    const port = await freePort();
    await engineWith([pool("p", [member("m", backend.port)])], port);
    const client = await connectClient(port, "127.0.0.49");
    expect(await client.line()).toBe("hi");
    client.socket.write("x\n");
    expect(await client.line()).toBe("ok:x");
    expect(backend.accepted[0]!.bytes.toString("latin1")).toBe("x\n");
    expect(backend.accepted[0]!.remoteAddress).toBe("127.0.0.1"); // the engine's own source address
  });
});
