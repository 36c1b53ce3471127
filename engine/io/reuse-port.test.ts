import dgram from "node:dgram";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { bindUdpReusePort, listenReusePort } from "./reuse-port";

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

  it("listens on IPv6 loopback too, IPv6 only", async () => {
    const a = tcpServer("v6");
    await listenReusePort(a, "::1", 0);
    const port = (a.address() as net.AddressInfo).port;
    expect(await readTcp(port, "::1")).toBe("v6");
    const v4 = tcpServer("v4");
    await listenReusePort(v4, "127.0.0.1", port); // no dual-stack clash with the IPv6 socket
    expect(await readTcp(port)).toBe("v4");
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
