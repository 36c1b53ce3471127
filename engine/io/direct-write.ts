import type net from "node:net";
import { constants } from "node:os";
import { getSystemErrorName } from "node:util";
import * as native from "elb-native-socket";
import { STRING_COPY_BYTES, copyOf, latin1 } from "./bytes";

/**
 * Latin1 writes on plain TCP sockets that skip Node's Writable machinery when nothing is queued: one
 * send(2) through the addon (engine/native/socket `sendLatin1`), and only what the kernel did not take
 * goes to `socket.write`. Order is kept because the direct send happens only while the socket holds no
 * bytes of its own (not connecting, not corked, nothing buffered); a full socket buffer (EAGAIN) hands
 * the whole string to `socket.write`, which queues it; an error (ECONNRESET, EPIPE) destroys the socket
 * with that error, as Node's own failed write does (`write ECONNRESET`: the kernel reports a reset once,
 * to the first send, and a second write through Node would see only EPIPE — a reset relayed on as a
 * reset by the TCP listener would then look like a clean end). An addon without `sendLatin1` leaves
 * every write to Node.
 */
const send: ((fd: number, data: string) => number) | null = typeof native.sendLatin1 === "function" ? native.sendLatin1 : null;
const sendBytes: ((fd: number, head: string, bytes: Uint8Array, start: number, end: number) => number) | null =
  typeof native.sendLatin1Bytes === "function" ? native.sendLatin1Bytes : null;

/** Strings above this go to Node as they are (the addon copies into a 64 KiB scratch buffer). */
const DIRECT_MAX = 64 * 1024 - 1;

type WithHandle = net.Socket & { _handle?: { fd?: number } | null };

/** The descriptor a direct write may use for `socket` (plain TCP with a handle), else -1. */
export function directFd(socket: net.Socket): number {
  if (send === null || (socket as net.Socket & { encrypted?: boolean }).encrypted) return -1;
  const fd = (socket as WithHandle)._handle?.fd;
  return typeof fd === "number" && fd >= 0 ? fd : -1;
}

/**
 * Writes `data` (latin1) to `socket`, directly on `fd` (from `directFd`; -1 = always through Node)
 * when the socket holds nothing queued. Returns false once Node buffers (or the send failed); true when
 * the kernel took it all — also for a large string Node would have answered false for, so no 'drain' follows.
 */
export function writeLatin1(socket: net.Socket, fd: number, data: string): boolean {
  if (fd >= 0 && data.length <= DIRECT_MAX && holdsNothing(socket)) {
    const sent = send!(fd, data);
    if (sent === data.length) return true;
    if (sent > 0) return socket.write(data.slice(sent), "latin1");
    if (sent < 0 && sent !== EAGAIN) return failed(socket, sent);
  }
  return socket.write(data, "latin1");
}

/**
 * Writes `head` (latin1, may be empty) and then bytes[start, end) of a read buffer (valid only now), as
 * writeLatin1 does: directly in one sendmsg(2) when it can — the bytes never become a string or a copy —
 * else through Node, the bytes copied (small ones as one string with the head, larger ones as a Buffer
 * after it under cork: one writev). Only what the kernel did not take is copied and queued.
 */
export function writeLatin1Bytes(socket: net.Socket, fd: number, head: string, bytes: Buffer, start: number, end: number): boolean {
  if (fd >= 0 && sendBytes !== null && head.length <= DIRECT_MAX && holdsNothing(socket)) {
    const sent = sendBytes(fd, head, bytes, start, end);
    if (sent >= 0) {
      if (sent === head.length + end - start) return true;
      if (sent >= head.length) return socket.write(copyOf(bytes, start + sent - head.length, end));
      socket.write(head.slice(sent), "latin1");
      return socket.write(copyOf(bytes, start, end));
    }
    if (sent !== EAGAIN) return failed(socket, sent);
  }
  if (end - start <= STRING_COPY_BYTES) return socket.write(head + latin1(bytes, start, end), "latin1");
  if (head === "") return socket.write(copyOf(bytes, start, end));
  socket.cork();
  socket.write(head, "latin1");
  const ok = socket.write(copyOf(bytes, start, end));
  socket.uncork();
  return ok;
}

/** -EAGAIN (= -EWOULDBLOCK on Linux): the socket buffer is full; nothing was sent. */
const EAGAIN = -constants.errno.EAGAIN;

/** A send that failed with `-errno`: the socket is destroyed with the error Node's write would have raised ("write ECONNRESET"). */
function failed(socket: net.Socket, errno: number): false {
  const code = getSystemErrorName(errno);
  const err: NodeJS.ErrnoException = new Error(`write ${code}`);
  err.errno = errno;
  err.code = code;
  err.syscall = "write";
  socket.destroy(err);
  return false;
}

/** Node holds no byte for the socket (nothing queued or corked, not connecting) and it is still writable. */
function holdsNothing(socket: net.Socket): boolean {
  return socket.writableLength === 0 && socket.writableCorked === 0 && !socket.connecting && socket.writable;
}
