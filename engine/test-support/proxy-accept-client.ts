import net from "node:net";
import { Duplex } from "node:stream";
import ipaddr from "ipaddr.js";

/**
 * Clients of a listener with PROXY protocol accept, for tests: headers built by hand from HAProxy's
 * doc/proxy-protocol.txt (not with the engine's encoder, so a shared mistake cannot hide), and
 * connections from a chosen 127.x source that send a header before their own bytes.
 */

/** A v1 line: `PROXY TCP4|TCP6 <src> <dst> <sport> <dport>\r\n` (the family follows the source). */
export function proxyV1(source: string, sourcePort: number, destination?: string, destinationPort = 80): string {
  const v6 = source.includes(":");
  return `PROXY ${v6 ? "TCP6" : "TCP4"} ${source} ${destination ?? (v6 ? "::1" : "127.0.0.1")} ${sourcePort} ${destinationPort}\r\n`;
}

/** The v2 signature (section 2.2). */
const SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

/**
 * A v2 header: PROXY over STREAM with the source's family (TCP4 0x11 / TCP6 0x21), then `tlvs` (type,
 * 2-byte length, value); `LOCAL` = command 0x20 with AF_UNSPEC and no address block.
 */
export function proxyV2(source: string | "LOCAL", sourcePort = 0, destination?: string, destinationPort = 80, tlvs: { type: number; value: Buffer }[] = []): Buffer {
  const tlvBytes = Buffer.concat(tlvs.map((t) => Buffer.concat([Buffer.from([t.type, t.value.length >> 8, t.value.length & 0xff]), t.value])));
  if (source === "LOCAL") return Buffer.concat([SIGNATURE, Buffer.from([0x20, 0x00, tlvBytes.length >> 8, tlvBytes.length & 0xff]), tlvBytes]);
  const v6 = source.includes(":");
  const src = Buffer.from(ipaddr.parse(source).toByteArray());
  const dst = Buffer.from(ipaddr.parse(destination ?? (v6 ? "::1" : "127.0.0.1")).toByteArray());
  const ports = Buffer.from([sourcePort >> 8, sourcePort & 0xff, destinationPort >> 8, destinationPort & 0xff]);
  const length = src.length + dst.length + 4 + tlvBytes.length;
  return Buffer.concat([SIGNATURE, Buffer.from([0x21, v6 ? 0x21 : 0x11, length >> 8, length & 0xff]), src, dst, ports, tlvBytes]);
}

/** A v2 LOCAL header that still carries an IPv4 address block (the spec: the receiver discards it and keeps the real endpoints). */
export function proxyV2LocalWithAddresses(source: string, sourcePort: number): Buffer {
  const header = proxyV2(source, sourcePort);
  header[12] = 0x20;
  return header;
}

/** What a client saw: the first line the other side sent (a TCP backend's greeting), or that it was closed first. */
export interface FirstLine {
  line: string | null;
  socket: net.Socket;
}

/**
 * Connects to 127.0.0.1:`port` from `localAddress`, writes `header` (if any) and `data` in one write,
 * and resolves with the first line received, or line null when the connection closed before one (or
 * nothing came within `timeoutMs`). The socket stays open on success; `cleanup` gets it.
 */
export function firstLineVia(port: number, localAddress: string, header: string | Buffer | null, data = "", cleanup?: (socket: net.Socket) => void, timeoutMs = 3000): Promise<FirstLine> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1", localAddress });
    cleanup?.(socket);
    let text = "";
    let done = false;
    const finish = (line: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (line === null) socket.destroy();
      resolve({ line, socket });
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
      const end = text.indexOf("\n");
      if (end >= 0) finish(text.slice(0, end));
    });
    socket.on("error", () => finish(null));
    socket.on("close", () => finish(null));
    const bytes = Buffer.concat([header === null ? Buffer.alloc(0) : Buffer.from(header), Buffer.from(data)]);
    if (bytes.length > 0) socket.write(bytes);
  });
}

/**
 * A stream for `tls.connect({ socket })` / `http2.connect` over a real TCP connection from
 * `localAddress` that puts `header` before the first bytes the client writes (its ClientHello):
 * `split` false = header and first bytes in one write (one segment on loopback); true = the header,
 * then the first bytes 30 ms later, the header itself cut in two 15 ms apart.
 */
export function headerFirstStream(port: number, localAddress: string, header: string | Buffer, split: boolean): { stream: Duplex; tcp: net.Socket } {
  const tcp = net.connect({ port, host: "127.0.0.1", localAddress });
  const head = Buffer.from(header);
  let first = true;
  const stream = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      if (!first) return void tcp.write(chunk, () => callback());
      first = false;
      if (!split) return void tcp.write(Buffer.concat([head, chunk]), () => callback());
      const half = head.length >> 1;
      tcp.write(head.subarray(0, half));
      setTimeout(() => tcp.write(head.subarray(half)), 15);
      setTimeout(() => tcp.write(chunk, () => callback()), 30);
    },
    read() {
      tcp.resume();
    },
    final(callback) {
      tcp.end(callback);
    },
    destroy(err, callback) {
      tcp.destroy();
      callback(err);
    },
  });
  tcp.on("data", (chunk: Buffer) => {
    if (!stream.push(chunk)) tcp.pause();
  });
  tcp.on("end", () => stream.push(null));
  tcp.on("error", (err) => stream.destroy(err));
  tcp.on("close", () => stream.destroy());
  return { stream, tcp };
}
