import dgram from "node:dgram";
import dns from "node:dns";
import net from "node:net";
import os from "node:os";
import type { SnapshotSyslogTarget } from "../../protocol/snapshot.types";

/** Facility local0 (16), severity informational (6): PRI = 16 × 8 + 6. */
const PRI = "<134>";
/** RFC 5424 APP-NAME of the engine's records. */
export const SYSLOG_APP_NAME = "elb";
/** RFC 5424 MSGID of an access-log record. */
export const SYSLOG_MSG_ID = "access";
/** Backoff between TCP reconnects: doubles from the first to the last. */
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 30_000;
/** UDP datagrams handed to the socket and not yet sent, at most: more are dropped (counted). */
const MAX_UDP_IN_FLIGHT = 1024;
/** UDP to a host name: its address is looked up again after this long (a datagram sent to a name would cost a lookup each). */
const UDP_RESOLVE_EVERY_MS = 60_000;

/** How a syslog sender bounds what it holds; defaults suit production. */
export interface SyslogOptions {
  /** TCP: bytes held at most (queued while disconnected, or in the socket's buffer); default 1 MiB. */
  maxQueueBytes?: number;
}

/**
 * The part of an RFC 5424 header that stays the same: " <HOSTNAME> elb <PROCID> access - " (hostname
 * without spaces, at most 255 characters as the RFC allows).
 */
function headerTail(): string {
  const host = (os.hostname() || "-").replace(/[^\x21-\x7e]/g, "").slice(0, 255) || "-";
  return ` ${host} ${SYSLOG_APP_NAME} ${process.pid} ${SYSLOG_MSG_ID} - `;
}

/**
 * Forwards a log stream's records to its syslog server (`SnapshotSyslogTarget`) on the standard
 * transport: one RFC 5424 message per record (`<134>1 TIMESTAMP HOSTNAME elb PROCID access - MSG`, MSG the
 * table 7-1 line), over UDP one message per datagram (a host name looked up once a minute, not per datagram), over TCP with RFC 6587 octet counting
 * ("<length> <message>"). TCP reconnects with a doubling backoff (100 ms → 30 s). What the sender
 * holds is bounded (`maxQueueBytes`): records beyond it, and those lost with a broken connection or a
 * failed datagram, are counted in `dropped`; `sent` counts those handed to the kernel.
 */
export class SyslogSender {
  sent = 0;
  dropped = 0;
  private readonly maxQueueBytes: number;
  private readonly tail = headerTail();
  private udp: dgram.Socket | null = null;
  private tcp: net.Socket | null = null;
  private connected = false;
  /** TCP frames waiting for a connection, and their bytes. */
  private queue: string[] = [];
  private queueBytes = 0;
  /** UDP datagrams handed to send() whose callback has not come yet (at most MAX_UDP_IN_FLIGHT). */
  private inFlight = 0;
  /** UDP: where datagrams go — the target's address once a host name was resolved, the target host until then. */
  private udpAddress = "";
  /** UDP to a host name: when its lookup was last started (ms since the epoch); a lookup in progress is not repeated. */
  private resolvedAt = 0;
  private resolving = false;
  private backoffMs = RECONNECT_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private second = -1;
  private secondText = "";

  constructor(
    readonly target: SnapshotSyslogTarget,
    options: SyslogOptions = {},
  ) {
    this.maxQueueBytes = options.maxQueueBytes ?? 1024 * 1024;
    if (target.protocol === "UDP") this.openUdp();
    else this.connectTcp();
  }

  /** Sends the record `line` (newline-terminated) finished at `epochMs`. */
  send(line: string, epochMs: number): void {
    if (this.closed) return;
    const message = PRI + "1 " + this.timestamp(epochMs) + this.tail + line.slice(0, -1);
    if (this.udp !== null) return this.sendUdp(message, epochMs);
    const frame = message.length + " " + message; // ASCII: length in characters is length in bytes
    const tcp = this.tcp;
    if (this.connected && tcp !== null) {
      if (tcp.writableLength + frame.length > this.maxQueueBytes) {
        this.dropped++;
        return;
      }
      tcp.write(frame, "latin1");
      this.sent++;
      return;
    }
    if (this.queueBytes + frame.length > this.maxQueueBytes) {
      this.dropped++;
      return;
    }
    this.queue.push(frame);
    this.queueBytes += frame.length;
  }

  /** Sends what is queued (TCP, when connected) and closes the socket. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    const udp = this.udp;
    if (udp !== null) {
      this.udp = null;
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    }
    const tcp = this.tcp;
    if (tcp !== null) {
      this.tcp = null;
      this.dropped += this.queue.length;
      this.queue = [];
      // What the socket still buffers gets a second to go out (a stalled peer must not hold a shutdown).
      if (this.connected) {
        await new Promise<void>((resolve) => {
          setTimeout(resolve, 1000).unref();
          tcp.end(resolve);
        });
      }
      tcp.destroy();
    }
  }

  /** RFC 5424 TIMESTAMP (UTC, milliseconds); the part up to the second is made once per second. */
  private timestamp(epochMs: number): string {
    const second = Math.floor(epochMs / 1000);
    if (second !== this.second) {
      this.second = second;
      this.secondText = new Date(second * 1000).toISOString().slice(0, 20); // "2026-12-01T23:26:11."
    }
    const ms = epochMs - second * 1000;
    return this.secondText + (ms < 10 ? "00" : ms < 100 ? "0" : "") + Math.floor(ms) + "Z";
  }

  private openUdp(): void {
    const socket = dgram.createSocket(net.isIPv6(this.target.host) ? "udp6" : "udp4");
    socket.on("error", () => {}); // a refused datagram (ICMP) is reported to its send callback
    socket.unref();
    this.udp = socket;
    this.udpAddress = this.target.host;
    if (net.isIP(this.target.host) === 0) this.resolveUdp(Date.now());
  }

  /** Looks the target's host name up (IPv4, as the socket is udp4); until it answers, datagrams go to the name. */
  private resolveUdp(now: number): void {
    this.resolving = true;
    this.resolvedAt = now;
    dns.lookup(this.target.host, { family: 4 }, (err, address) => {
      this.resolving = false;
      if (!err) this.udpAddress = address;
    });
  }

  private sendUdp(message: string, epochMs: number): void {
    if (this.inFlight >= MAX_UDP_IN_FLIGHT) {
      this.dropped++;
      return;
    }
    if (this.resolvedAt !== 0 && !this.resolving && epochMs - this.resolvedAt >= UDP_RESOLVE_EVERY_MS) this.resolveUdp(epochMs);
    this.inFlight++;
    this.udp!.send(Buffer.from(message, "latin1"), this.target.port, this.udpAddress, this.udpSent);
  }

  /** A datagram's send finished (one callback for every send: no closure per record). */
  private readonly udpSent = (err: Error | null): void => {
    this.inFlight--;
    if (err) this.dropped++;
    else this.sent++;
  };

  private connectTcp(): void {
    if (this.closed) return;
    const socket = net.connect({ host: this.target.host, port: this.target.port });
    socket.setNoDelay(true);
    socket.unref();
    this.tcp = socket;
    socket.on("connect", () => {
      this.connected = true;
      this.backoffMs = RECONNECT_MIN_MS;
      const queue = this.queue;
      this.queue = [];
      this.queueBytes = 0;
      if (queue.length > 0) socket.write(queue.join(""), "latin1");
      this.sent += queue.length;
    });
    socket.on("error", () => {}); // 'close' follows
    socket.on("close", () => {
      if (this.tcp !== socket) return;
      this.connected = false;
      this.tcp = null;
      if (this.closed) return;
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null;
        this.connectTcp();
      }, this.backoffMs);
      this.reconnectTimer.unref();
      this.backoffMs = Math.min(this.backoffMs * 2, RECONNECT_MAX_MS);
    });
  }
}
