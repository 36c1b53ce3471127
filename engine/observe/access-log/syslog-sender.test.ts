import net from "node:net";
import { describe, expect, it } from "vitest";
import { freePort, waitFor } from "../../test-support/backends";
import { SyslogSender } from "./syslog-sender";

/** The syslog sender's bounds and framing against real loopback sockets (delivery to rsyslog: access-log.syslog.test.ts). */
const LINE = `${"r".repeat(99)}\n`; // a 100-byte record

describe("SyslogSender over TCP", () => {
  it("while the server is down, holds at most maxQueueBytes and counts the rest as dropped; sends the held ones once it is up", async () => {
    const port = await freePort(); // nobody listens yet
    const sender = new SyslogSender({ protocol: "TCP", host: "127.0.0.1", port }, { maxQueueBytes: 2000 });
    try {
      for (let i = 0; i < 100; i++) sender.send(LINE, Date.UTC(2026, 11, 1, 23, 26, 11, 7));
      // Each frame is "<len> <134>1 TIMESTAMP HOST elb PID access - <record>", about 150 bytes: 2000 bytes hold about 13.
      expect(sender.dropped).toBeGreaterThanOrEqual(100 - 14);
      expect(sender.dropped).toBeLessThan(100);
      expect(sender.sent).toBe(0);
      const held = 100 - sender.dropped;

      // The server comes up: the sender reconnects (backoff) and sends what it held, octet-counted.
      let received = "";
      const sockets: net.Socket[] = [];
      const server = net.createServer((s) => {
        sockets.push(s);
        s.on("data", (d: Buffer) => (received += d.toString("latin1")));
      });
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
      try {
        await waitFor(() => sender.sent === held, 8000, "held records sent after reconnect");
        await waitFor(() => received.split(" <134>1 ").length - 1 === held, 3000, "frames received");
        const first = received.slice(0, received.indexOf(" "));
        const message = received.slice(first.length + 1, first.length + 1 + Number(first));
        expect(message).toBe(`<134>1 2026-12-01T23:26:11.007Z ${message.split(" ")[2]} elb ${process.pid} access - ${LINE.slice(0, -1)}`);
        expect(received.length).toBe(held * (first.length + 1 + Number(first)));
      } finally {
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    } finally {
      await sender.close();
    }
  });
});

describe("SyslogSender over TCP to a peer that stopped reading", () => {
  it("holds at most maxQueueBytes in the socket's buffer while connected, counting the rest as dropped", async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => {
      sockets.push(s);
      s.pause(); // accepts, never reads: the kernel buffers fill, then the socket's own
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    const sender = new SyslogSender({ protocol: "TCP", host: "127.0.0.1", port }, { maxQueueBytes: 64 * 1024 });
    try {
      sender.send(LINE, Date.now());
      await waitFor(() => sender.sent === 1, 5000, "connected and the first record sent");
      const N = 100_000; // ~15 MB of frames: more than loopback's kernel buffers take
      for (let i = 0; i < N; i++) sender.send(LINE, Date.now());
      expect(sender.sent + sender.dropped).toBe(N + 1);
      expect(sender.dropped).toBeGreaterThan(0);
      const tcp = (sender as unknown as { tcp: net.Socket | null }).tcp!;
      expect(tcp.writableLength).toBeLessThanOrEqual(64 * 1024);
    } finally {
      for (const s of sockets) s.destroy();
      await sender.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("SyslogSender over UDP to a host name", () => {
  it("resolves the name once, not once per record (a lookup per datagram would be a DNS query per request), and delivers every record", async () => {
    const dgram = await import("node:dgram");
    const dns = (await import("node:dns")).default;
    const server = dgram.createSocket("udp4");
    let received = 0;
    server.on("message", () => received++);
    await new Promise<void>((resolve) => server.bind(0, "127.0.0.1", resolve));
    const port = server.address().port;
    const original = dns.lookup;
    let lookups = 0;
    (dns as { lookup: unknown }).lookup = function (this: unknown, ...args: unknown[]) {
      if (args[0] === "localhost") lookups++;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
    const sender = new SyslogSender({ protocol: "UDP", host: "localhost", port });
    try {
      await new Promise((r) => setTimeout(r, 50)); // the sender's own resolution
      for (let i = 0; i < 50; i++) sender.send(LINE, Date.now());
      await waitFor(() => sender.sent + sender.dropped === 50, 3000, "every datagram's send finished");
      await waitFor(() => received === 50, 3000, "every datagram received");
      expect(sender.dropped).toBe(0);
      expect(lookups).toBeLessThanOrEqual(1);
    } finally {
      (dns as { lookup: unknown }).lookup = original;
      await sender.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
