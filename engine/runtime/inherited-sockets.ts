import net from "node:net";
import { closeDescriptor } from "../io/reuse-port";

/**
 * Listening sockets a new engine build inherits from the engine it replaces (control/upgrade.ts): the old
 * process passes its descriptors to the new one (child stdio slots 4…) and names them in
 * ELB_ENGINE_INHERITED_SOCKETS, a JSON list of { type, address, port, fd }. A bind of (type, address,
 * port) first takes one of these, so the connections already queued on the socket (and every one the
 * kernel queues there until the old process closes its copy) are accepted by the new engine; only when
 * none is left is a new socket opened (it joins the port's SO_REUSEPORT group).
 */

/** One listening socket handed to a new engine: a descriptor bound to address:port. */
export interface InheritedSocket {
  type: "tcp" | "udp";
  address: string;
  port: number;
  fd: number;
}

/** Environment variable naming the inherited descriptors. */
export const INHERITED_SOCKETS_ENV = "ELB_ENGINE_INHERITED_SOCKETS";

const keyOf = (type: string, address: string, port: number): string => `${type} ${address} ${port}`;

function isInheritedSocket(value: unknown): value is InheritedSocket {
  const v = value as Partial<InheritedSocket> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    (v.type === "tcp" || v.type === "udp") &&
    typeof v.address === "string" &&
    net.isIP(v.address) !== 0 &&
    Number.isInteger(v.port) &&
    v.port! >= 1 &&
    v.port! <= 65535 &&
    Number.isInteger(v.fd) &&
    v.fd! >= 3
  );
}

/**
 * Reads ELB_ENGINE_INHERITED_SOCKETS; unset or empty = none. Entries that are not a socket description
 * (and text that is not a JSON list) are reported through `log` and left out.
 */
export function parseInheritedSockets(text: string | undefined, log: (message: string) => void): InheritedSocket[] {
  if (text === undefined || text.trim() === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    log(`${INHERITED_SOCKETS_ENV} is not JSON; inheriting no socket`);
    return [];
  }
  if (!Array.isArray(parsed)) {
    log(`${INHERITED_SOCKETS_ENV} is not a list; inheriting no socket`);
    return [];
  }
  const sockets: InheritedSocket[] = [];
  for (const entry of parsed) {
    if (isInheritedSocket(entry)) sockets.push({ type: entry.type, address: entry.address, port: entry.port, fd: entry.fd });
    else log(`${INHERITED_SOCKETS_ENV}: ignored ${JSON.stringify(entry)} (want { type: "tcp"|"udp", address, port, fd })`);
  }
  return sockets;
}

/**
 * Splits inherited sockets among `workers` worker threads: the sockets of one (type, address, port) go
 * round robin, so each worker gets one before any gets two. A worker with none for an address opens its
 * own socket there (it joins the group); one with several listens on all of them.
 */
export function splitAmongWorkers(sockets: readonly InheritedSocket[], workers: number): InheritedSocket[][] {
  const shares: InheritedSocket[][] = Array.from({ length: workers }, () => []);
  const next = new Map<string, number>();
  for (const socket of sockets) {
    const key = keyOf(socket.type, socket.address, socket.port);
    const index = next.get(key) ?? 0;
    shares[index % workers]!.push(socket);
    next.set(key, index + 1);
  }
  return shares;
}

/** The inherited sockets not taken yet, by (type, address, port). */
export class InheritedSockets {
  private readonly byKey = new Map<string, InheritedSocket[]>();

  constructor(sockets: readonly InheritedSocket[] = []) {
    for (const socket of sockets) {
      const key = keyOf(socket.type, socket.address, socket.port);
      const list = this.byKey.get(key);
      if (list === undefined) this.byKey.set(key, [socket]);
      else list.push(socket);
    }
  }

  /** Sockets not taken yet. */
  get size(): number {
    let size = 0;
    for (const list of this.byKey.values()) size += list.length;
    return size;
  }

  /** Takes one descriptor bound to (type, address, port); undefined when none is left. */
  take(type: InheritedSocket["type"], address: string, port: number): number | undefined {
    const key = keyOf(type, address, port);
    const list = this.byKey.get(key);
    const socket = list?.shift();
    if (list?.length === 0) this.byKey.delete(key);
    return socket?.fd;
  }

  /** Takes every descriptor still left for (type, address, port). */
  takeAll(type: InheritedSocket["type"], address: string, port: number): number[] {
    const key = keyOf(type, address, port);
    const list = this.byKey.get(key) ?? [];
    this.byKey.delete(key);
    return list.map((socket) => socket.fd);
  }

  /** Closes every descriptor nobody took (a listener the snapshot no longer has); returns them. */
  closeLeftovers(close: (fd: number) => void = closeDescriptor): InheritedSocket[] {
    const left = [...this.byKey.values()].flat();
    this.byKey.clear();
    for (const socket of left) close(socket.fd);
    return left;
  }
}
