import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../test-support/backends";
import { HAPROXY, startHaproxy } from "../test-support/haproxy";
import type { PeerProcess } from "../test-support/peer-process";
import { readProxyHeader, type ProxyReadResult } from "./proxy-header-reader";
import { skipLoudly } from "../test-support/skip-loudly";

/**
 * One cross-check of the decoder and the reader against the PROXY protocol's reference sender: HAProxy
 * (Debian) in TCP mode with `send-proxy` (v1) and `send-proxy-v2` (with its CRC32c and unique-id TLVs,
 * and a health check, which sends LOCAL) in front of a node server that reads the header. The engine's
 * own interop tests (engine behind HAProxy, engine in front of nginx/HAProxy) live with the listeners.
 */

/** A port as HAProxy's `%{+X}o` unique-id format prints it. */
const hex4 = (port: number): string => port.toString(16).toUpperCase().padStart(4, "0");

/** What the receiver saw on one connection: the reader's result and the bytes after the header. */
interface Seen {
  peer: string;
  result: ProxyReadResult;
  data: string;
}

const skip = skipLoudly("proxy-header-reader.haproxy", existsSync(HAPROXY) ? null : `${HAPROXY} not installed (apt-get install haproxy)`);

describe.skipIf(skip)("readProxyHeader behind HAProxy send-proxy / send-proxy-v2", () => {
  let dir: string;
  let haproxy: PeerProcess | null = null;
  let receiver: net.Server;
  const seen: Seen[] = [];
  const ports = { v1: 0, v2: 0, v6: 0 };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "elb-pp-haproxy-"));
    // The receiver answers each proxied connection with what it decoded, after reading the client's line.
    receiver = net.createServer({ pauseOnConnect: true, allowHalfOpen: true }, (socket) => {
      socket.on("error", () => {});
      readProxyHeader(socket, { timeoutMs: 3000, required: true }, (result) => {
        const entry: Seen = { peer: socket.remoteAddress ?? "", result, data: "" };
        seen.push(entry);
        if (result.status !== "header") return void socket.destroy();
        socket.on("data", (chunk: Buffer) => {
          entry.data += chunk.toString("latin1");
          if (entry.data.endsWith("\n")) socket.end(JSON.stringify(result.header.addresses));
        });
        socket.on("end", () => socket.end());
        socket.resume();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const receiverPort = (receiver.address() as net.AddressInfo).port;
    [ports.v1, ports.v2, ports.v6] = [await freePort(), await freePort(), await freePort()];
    const config = `global
  maxconn 64
defaults
  mode tcp
  timeout connect 2s
  timeout client 5s
  timeout server 5s
frontend v1
  bind 127.0.0.1:${ports.v1}
  default_backend v1
frontend v2
  bind 127.0.0.1:${ports.v2}
  bind [::1]:${ports.v6}
  unique-id-format %{+X}o%ci:%cp_%fi:%fp_%Ts_%rt
  default_backend v2
backend v1
  server s 127.0.0.1:${receiverPort} send-proxy
backend v2
  server s 127.0.0.1:${receiverPort} send-proxy-v2 proxy-v2-options crc32c,unique-id check inter 200
`;
    const frontends = [{ host: "127.0.0.1", port: ports.v1 }, { host: "127.0.0.1", port: ports.v2 }, { host: "::1", port: ports.v6 }];
    haproxy = await startHaproxy(dir, config, frontends);
  }, 20_000);

  afterAll(async () => {
    await haproxy?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  /** One line through HAProxy from `localAddress`; the receiver's answer (the addresses it decoded) and our port. */
  async function through(host: string, port: number, localAddress: string): Promise<{ answer: unknown; clientPort: number }> {
    const socket = net.connect({ host, port, localAddress });
    await new Promise((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    const clientPort = socket.localPort!;
    socket.end("ping\n");
    let answer = "";
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString()));
    await new Promise((resolve, reject) => socket.once("close", resolve).once("error", reject));
    return { answer: JSON.parse(answer), clientPort };
  }

  it("decodes HAProxy's v1 and v2 headers (IPv4 and IPv6 clients, CRC32c + unique-id TLVs) and LOCAL health checks", async () => {
    const v1 = await through("127.0.0.1", ports.v1, "127.0.0.3");
    expect(v1.answer).toEqual({ family: "IPv4", sourceAddress: "127.0.0.3", sourcePort: v1.clientPort, destinationAddress: "127.0.0.1", destinationPort: ports.v1 });
    const v2 = await through("127.0.0.1", ports.v2, "127.0.0.4");
    expect(v2.answer).toEqual({ family: "IPv4", sourceAddress: "127.0.0.4", sourcePort: v2.clientPort, destinationAddress: "127.0.0.1", destinationPort: ports.v2 });
    const v6 = await through("::1", ports.v6, "::1");
    expect(v6.answer).toEqual({ family: "IPv6", sourceAddress: "::1", sourcePort: v6.clientPort, destinationAddress: "::1", destinationPort: ports.v6 });

    // The connections of our three clients (HAProxy also relayed the readiness probes: headers, no data).
    const proxied = [v1, v2, v6].map(({ clientPort }) =>
      seen.find((s) => s.result.status === "header" && s.result.header.addresses?.sourcePort === clientPort),
    );
    expect(proxied.map((s) => s?.data)).toEqual(["ping\n", "ping\n", "ping\n"]);
    const [fromV1, fromV2] = proxied.map((s) => (s?.result.status === "header" ? s.result.header : null));
    expect(fromV1).toMatchObject({ version: 1, transport: "STREAM", tlvs: [] });
    // HAProxy's checksum (PP2_TYPE_CRC32C, 0x03) passed our check, and its unique id (0x05) came through.
    expect(fromV2).toMatchObject({ version: 2, transport: "STREAM" });
    expect(fromV2!.tlvs.map((t) => t.type).sort()).toEqual([0x03, 0x05]);
    expect(Buffer.from(fromV2!.tlvs.find((t) => t.type === 0x05)!.value).toString()).toMatch(new RegExp(`^7F000004:${hex4(v2.clientPort)}_7F000001:${hex4(ports.v2)}_`));

    // Health checks every 200 ms: v2 sends LOCAL (no addresses), which the reader takes as a header.
    const deadline = Date.now() + 5000;
    while (!seen.some((s) => s.result.status === "header" && s.result.header.command === "LOCAL") && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const local = seen.find((s) => s.result.status === "header" && s.result.header.command === "LOCAL");
    expect(local?.result).toMatchObject({ status: "header", header: { version: 2, command: "LOCAL", addresses: null } });
    expect(seen.filter((s) => s.result.status !== "header")).toEqual([]);
  });
});
