import dgram from "node:dgram";
import net from "node:net";
import { readFileSync } from "node:fs";
import { openSocket } from "elb-native-socket";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../test-support/backends";
import { bindUdpReusePort, listenReusePort } from "./reuse-port";

/** net.ipv6.bindv6only: the kernel's default for IPV6_V6ONLY (0 = dual-stack). */
function bindV6Only(): number {
  try {
    return Number(readFileSync("/proc/sys/net/ipv6/bindv6only", "utf8").trim());
  } catch {
    return -1;
  }
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function tcpServer(name: string): net.Server {
  const server = net.createServer((socket) => socket.end(name));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return server;
}

function udpSocket(name: string): dgram.Socket {
  const socket = dgram.createSocket("udp4");
  socket.on("message", (_message, from) => socket.send(name, from.port, from.address));
  closers.push(() => new Promise((resolve) => socket.close(() => resolve())));
  return socket;
}

function readTcp(port: number, host = "127.0.0.1"): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    net.connect(port, host).setEncoding("utf8").on("data", (d) => (text += d)).on("end", () => resolve(text)).on("error", reject);
  });
}

describe("reuse-port sockets", () => {
  it("lets two TCP servers listen on one address and port, and the kernel spreads connections over both", async () => {
    const a = tcpServer("a");
    await listenReusePort(a, "127.0.0.1", 0);
    const port = (a.address() as net.AddressInfo).port;
    const b = tcpServer("b");
    await listenReusePort(b, "127.0.0.1", port);
    const answers = await Promise.all(Array.from({ length: 64 }, () => readTcp(port)));
    expect(new Set(answers)).toEqual(new Set(["a", "b"]));
  });

  it("listens on IPv6 loopback too, beside an IPv4 socket on the same port", async () => {
    const a = tcpServer("v6");
    await listenReusePort(a, "::1", 0);
    const port = (a.address() as net.AddressInfo).port;
    expect(await readTcp(port, "::1")).toBe("v6");
    const v4 = tcpServer("v4");
    await listenReusePort(v4, "127.0.0.1", port);
    expect(await readTcp(port)).toBe("v4");
  });

  // IPV6_V6ONLY is the kernel's default (net.ipv6.bindv6only, 0 almost everywhere), as for Node's own
  // listen: an IPv6 socket takes IPv4 clients as ::ffff:a.b.c.d. Bound to the IPv4-mapped loopback address
  // (as "::" would be, without listening beyond loopback); a forced IPV6_V6ONLY makes this bind fail.
  it.runIf(bindV6Only() === 0)("leaves IPv6 sockets dual-stack, as Node does: an IPv4 client reaches one bound to ::ffff:127.0.0.1", async () => {
    const mapped = tcpServer("mapped");
    await listenReusePort(mapped, "::ffff:127.0.0.1", 0);
    const port = (mapped.address() as net.AddressInfo).port;
    expect(await readTcp(port, "127.0.0.1")).toBe("mapped");
    const udp = dgram.createSocket("udp6");
    closers.push(() => new Promise((resolve) => udp.close(() => resolve())));
    udp.on("message", (_m, from) => udp.send("udp-mapped", from.port, from.address));
    await bindUdpReusePort(udp, "::ffff:127.0.0.1", 0);
    const client = dgram.createSocket("udp4");
    closers.push(() => new Promise((resolve) => client.close(() => resolve())));
    const answer = new Promise<string>((resolve) => client.once("message", (m) => resolve(m.toString())));
    client.send("x", udp.address().port, "127.0.0.1");
    expect(await answer).toBe("udp-mapped");
  });

  it("listens on a descriptor it is handed (an inherited socket) and resolves with it", async () => {
    const a = tcpServer("first");
    const fd = await listenReusePort(a, "127.0.0.1", 0);
    const port = (a.address() as net.AddressInfo).port;
    const fresh = openSocket(4, "tcp", "127.0.0.1", port, true);
    const b = tcpServer("inherited");
    expect(await listenReusePort(b, "127.0.0.1", port, fresh)).toBe(fresh);
    expect(fd).not.toBe(fresh);
    await new Promise<void>((resolve) => a.close(() => resolve()));
    expect(await readTcp(port)).toBe("inherited");
  });

  it("refuses an inherited descriptor bound to another port (EINHERITED) and closes it", async () => {
    const port = await freePort();
    const other = await freePort();
    const fd = openSocket(4, "tcp", "127.0.0.1", other, true);
    await expect(listenReusePort(tcpServer("x"), "127.0.0.1", port, fd)).rejects.toMatchObject({ code: "EINHERITED" });
    const plain = tcpServer("plain"); // binds only once the inherited socket on `other` is closed
    await new Promise<void>((resolve, reject) => plain.once("error", reject).listen(other, "127.0.0.1", resolve));
  });

  it("refuses a port held by a socket without SO_REUSEPORT", async () => {
    const plain = tcpServer("plain");
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    const port = (plain.address() as net.AddressInfo).port;
    await expect(listenReusePort(tcpServer("x"), "127.0.0.1", port)).rejects.toMatchObject({ code: "EADDRINUSE" });
  });

  it("rejects an address that is not a literal IP", async () => {
    await expect(listenReusePort(tcpServer("x"), "localhost", 0)).rejects.toMatchObject({ code: "EINVAL" });
  });

  it("keeps each UDP client on one socket of the group", async () => {
    const a = udpSocket("a");
    await bindUdpReusePort(a, "127.0.0.1", 0);
    const port = a.address().port;
    const b = udpSocket("b");
    await bindUdpReusePort(b, "127.0.0.1", port);
    const perClient = await Promise.all(
      Array.from({ length: 16 }, async () => {
        const client = dgram.createSocket("udp4");
        const seen = new Set<string>();
        await new Promise<void>((resolve) => {
          let received = 0;
          client.on("message", (m) => {
            seen.add(m.toString());
            if (seen.size > 1 || ++received === 5) resolve();
          });
          for (let i = 0; i < 5; i++) client.send("x", port, "127.0.0.1");
        });
        client.close();
        return [...seen];
      }),
    );
    for (const answers of perClient) expect(answers).toHaveLength(1);
    expect(new Set(perClient.flat())).toEqual(new Set(["a", "b"]));
  });
});
