import { execFile, execFileSync } from "node:child_process";
import dgram from "node:dgram";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { openTransparentSocket } from "elb-native-socket";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bundleTransparentProbe, type ProbeResult } from "../test-support/transparent-probe";
import { connectTransparent, isLocalAddress, openTransparentUdpSocket, unmapIpv4 } from "./transparent-socket";
import { skipLoudly } from "../test-support/skip-loudly";

/** Transparent mode on loopback: every 127.x address is this host's, so the backend sees it as the peer. */

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A TCP server on 127.0.0.1 answering each connection with `<peer address> <peer port>\n`; resolves its port. */
async function peerEchoTcp(): Promise<number> {
  const server = net.createServer((socket) => socket.on("error", () => {}).end(`${socket.remoteAddress} ${socket.remotePort}\n`));
  closers.push(() => server.close());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A UDP socket on 127.0.0.1 answering each datagram with `<peer address> <peer port>`; `received` counts them. */
async function peerEchoUdp(): Promise<{ port: number; received: () => number }> {
  const socket = dgram.createSocket("udp4");
  let received = 0;
  socket.on("message", (_m, from) => {
    received++;
    socket.send(`${from.address} ${from.port}`, from.port, from.address);
  });
  closers.push(() => socket.close());
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { port: socket.address().port, received: () => received };
}

/** The first line a socket receives (3 s bound). */
function firstLine(socket: net.Socket): Promise<string> {
  closers.push(() => socket.destroy());
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error("no answer within 3 s")), 3000);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
      if (text.includes("\n")) {
        clearTimeout(timer);
        resolve(text.trim());
      }
    });
    socket.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

describe("connectTransparent on loopback", () => {
  it("the backend's accepted socket shows the client's 127.x address and the port the engine's socket has", async () => {
    const port = await peerEchoTcp();
    const socket = connectTransparent({ sourceAddress: "127.0.0.77", host: "127.0.0.1", port, allowHalfOpen: true, noDelay: true });
    const seen = await firstLine(socket);
    expect(seen).toBe(`127.0.0.77 ${socket.localPort}`);
  });

  it("takes an IPv4-mapped client address (a dual-stack listener's) as IPv4", async () => {
    const port = await peerEchoTcp();
    expect(await firstLine(connectTransparent({ sourceAddress: "::ffff:127.0.0.78", host: "127.0.0.1", port }))).toMatch(/^127\.0\.0\.78 \d+$/);
  });

  it("refuses a client of another family than the backend (EAFNOSUPPORT) instead of leaving from the engine's address", async () => {
    const server = net.createServer();
    let accepted = 0;
    server.on("connection", (s) => (accepted++, s.destroy()));
    closers.push(() => server.close());
    await new Promise<void>((resolve) => server.listen(0, "::1", resolve));
    const socket = connectTransparent({ sourceAddress: "127.0.0.79", host: "::1", port: (server.address() as net.AddressInfo).port });
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => socket.once("error", resolve));
    expect(err.code).toBe("EAFNOSUPPORT");
    expect(err.message).toContain("127.0.0.79");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(accepted).toBe(0);
  });

  it("a descriptor from the addon (IP_TRANSPARENT, bound, unconnected) connects through net.Socket from its address", async () => {
    const port = await peerEchoTcp();
    const fd = openTransparentSocket(4, "tcp", "127.0.0.80");
    const socket = new net.Socket({ fd, manualStart: true } as net.SocketConstructorOpts).connect(port, "127.0.0.1");
    expect(await firstLine(socket)).toMatch(/^127\.0\.0\.80 \d+$/);
  });
});

describe("openTransparentUdpSocket on loopback", () => {
  it("the backend sees datagrams from the client's 127.x address and its reply comes back", async () => {
    const backend = await peerEchoUdp();
    const socket = openTransparentUdpSocket("127.0.0.81");
    closers.push(() => socket.close());
    const reply = await new Promise<string>((resolve, reject) => {
      socket.on("message", (m) => resolve(String(m)));
      socket.on("error", reject);
      socket.connect(backend.port, "127.0.0.1", () => socket.send("hello"));
    });
    expect(reply).toBe(`127.0.0.81 ${socket.address().port}`);
  });
});

describe("local addresses", () => {
  it("127.0.0.0/8, ::1 and this host's interface addresses are local; unmapped IPv4 is compared", () => {
    expect(isLocalAddress("127.200.1.2")).toBe(true);
    expect(isLocalAddress("::1")).toBe(true);
    expect(isLocalAddress("198.18.250.250")).toBe(false);
    const own = Object.values(os.networkInterfaces()).flat().find((entry) => entry !== undefined && !entry.internal);
    if (own !== undefined) expect(isLocalAddress(own.address)).toBe(true);
    expect(unmapIpv4("::ffff:10.1.2.3")).toBe("10.1.2.3");
    expect(unmapIpv4("::ffff:a01:203")).toBe("::ffff:a01:203");
    expect(unmapIpv4("2001:db8::1")).toBe("2001:db8::1");
  });
});

/**
 * Without CAP_NET_ADMIN and CAP_NET_RAW (dropped from the bounding set by setpriv, so even root lacks
 * them), a client address that is not local cannot be bound: the error says what transparent mode needs,
 * and nothing leaves from another address.
 */
const setprivMissing = (() => {
  try {
    execFileSync("setpriv", ["--version"], { stdio: "ignore" });
    return null;
  } catch (err) {
    return `setpriv (util-linux) is not available to drop CAP_NET_ADMIN: ${(err as Error).message}`;
  }
})();
const skipUnprivileged = skipLoudly("transparent-socket.test, the no-privilege tests", setprivMissing);

describe.skipIf(skipUnprivileged)("without CAP_NET_ADMIN / CAP_NET_RAW", () => {
  let dir = "";
  let probe = "";
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "elb-transparent-"));
    probe = await bundleTransparentProbe(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs the probe with the two capabilities dropped (root: by setpriv; anyone else lacks them); resolves what it printed. */
  function unprivileged(request: object): Promise<ProbeResult> {
    return new Promise((resolve, reject) => {
      const node = [process.execPath, probe, JSON.stringify(request)];
      const [command, ...args] = process.getuid?.() === 0 ? ["setpriv", "--bounding-set=-net_admin,-net_raw", "--", ...node] : node;
      execFile(command!, args, { timeout: 10_000 }, (err, stdout, stderr) => {
        if (err) return reject(new Error(`setpriv probe failed: ${err.message} ${stderr}`));
        resolve(JSON.parse(stdout.trim()) as ProbeResult);
      });
    });
  }

  it("TCP: EPERM, and the message says root or CAP_NET_ADMIN and the policy routing", async () => {
    const port = await peerEchoTcp();
    const result = await unprivileged({ mode: "tcp", source: "198.18.77.7", host: "127.0.0.1", port, timeoutMs: 3000 });
    expect(result).toMatchObject({ ok: false, code: "EPERM" });
    const message = (result as { message: string }).message;
    expect(message).toContain("198.18.77.7");
    expect(message).toContain("CAP_NET_ADMIN");
    expect(message).toContain("ip rule add iif");
  });

  it("a local client address (127.x) needs no privilege: plain bind, the backend sees it", async () => {
    const port = await peerEchoTcp();
    const result = await unprivileged({ mode: "tcp", source: "127.0.0.90", host: "127.0.0.1", port, timeoutMs: 3000 });
    expect(result).toMatchObject({ ok: true, local: "127.0.0.90" });
    expect((result as { answer: string }).answer).toMatch(/^127\.0\.0\.90 \d+$/);
  });

  it("UDP: EPERM, and the datagram the caller sent at once never reaches the backend from the engine's address", async () => {
    const backend = await peerEchoUdp();
    const result = await unprivileged({ mode: "udp", source: "198.18.77.8", host: "127.0.0.1", port: backend.port, timeoutMs: 1000 });
    expect(result).toMatchObject({ ok: false, code: "EPERM" });
    expect((result as { message: string }).message).toContain("CAP_NET_ADMIN");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(backend.received()).toBe(0);
  });
});
