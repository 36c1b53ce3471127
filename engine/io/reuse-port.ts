import type dgram from "node:dgram";
import net from "node:net";
import { closeFd, openSocket } from "elb-native-socket";

/**
 * Every listening socket of the engine is opened here, in the SO_REUSEPORT group of its address and port:
 * several engine workers bind the same address and port (the kernel spreads new TCP connections over the
 * listening sockets of the group and keeps each UDP client, its address and port, on one socket, so a
 * datagram session stays on one worker), and a new engine build taking over (control/upgrade.ts) can add
 * sockets of its own beside the ones it inherits. Node 20's net and dgram cannot set SO_REUSEPORT before
 * bind, so the socket is opened and bound by the small addon in engine/native/socket and handed over as a
 * descriptor (`listen({ fd })`, `bind({ fd })`). A port held by a socket without SO_REUSEPORT (another
 * program) still fails with EADDRINUSE. IPV6_V6ONLY is the kernel's default, as with Node's own binds.
 *
 * Both functions take an optional descriptor already bound to address:port (inherited from the engine
 * this one replaces): it is used instead of opening one, after checking that it is bound where asked.
 * Both resolve with the descriptor the server or socket now owns (closed with it).
 */

/** Family (4 or 6) of a literal address; the engine binds literal addresses only. */
function familyOf(address: string): 4 | 6 {
  const family = net.isIP(address);
  if (family === 0) throw Object.assign(new Error(`not an IP address: ${address}`), { code: "EINVAL" });
  return family as 4 | 6;
}

/** True when `actual` (what the socket reports) is the address:port asked for; compares parsed addresses (`::0` = `::`). */
function boundWhereAsked(actual: net.AddressInfo | { address: string; port: number }, address: string, port: number): boolean {
  if (actual.port !== port) return false;
  const family = net.isIP(address) === 6 ? "ipv6" : "ipv4";
  if (net.isIP(actual.address) !== net.isIP(address)) return false;
  const list = new net.BlockList();
  list.addAddress(address, family);
  return list.check(actual.address, family);
}

function wrongBinding(fd: number, actual: { address: string; port: number }, address: string, port: number): Error {
  return Object.assign(new Error(`inherited descriptor ${fd} is bound to ${actual.address}:${actual.port}, not ${address}:${port}`), { code: "EINHERITED" });
}

/** What a net.Server and a dgram.Socket share for taking a bound descriptor: listen/bind on it, report where. */
interface DescriptorTaker {
  once(event: "error", listener: (err: Error) => void): unknown;
  off(event: "error", listener: (err: Error) => void): unknown;
  close(): unknown;
}

/**
 * Opens (or takes the inherited) descriptor, hands it to `take` (listen/bind with `{ fd }`), and checks an
 * inherited one is bound where asked; resolves with the descriptor the taker now owns.
 */
function takeDescriptor<T extends DescriptorTaker>(
  taker: T,
  type: "tcp" | "udp",
  address: string,
  port: number,
  inheritedFd: number | undefined,
  take: (taker: T, fd: number, done: () => void) => void,
  boundTo: (taker: T) => { address: string; port: number },
): Promise<number> {
  let fd: number;
  try {
    fd = inheritedFd ?? openSocket(familyOf(address), type, address, port, true);
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise<number>((resolve, reject) => {
    const fail = (err: Error): void => {
      closeQuietly(fd);
      reject(err);
    };
    taker.once("error", fail);
    take(taker, fd, () => {
      taker.off("error", fail);
      const actual = boundTo(taker);
      // Port 0 asks for any port: only an inherited descriptor is checked, and against a fixed port.
      if (inheritedFd !== undefined && !boundWhereAsked(actual, address, port)) {
        taker.close();
        return reject(wrongBinding(fd, actual, address, port));
      }
      resolve(fd);
    });
  });
}

/**
 * Makes `server` listen on address:port in the reuse-port group of that address (or on `inheritedFd`).
 * Rejects with the bind error (code EADDRINUSE when a socket without SO_REUSEPORT, or another user's,
 * holds the port), or EINHERITED when the inherited descriptor is bound elsewhere (then closed).
 */
export function listenReusePort(server: net.Server, address: string, port: number, inheritedFd?: number): Promise<number> {
  return takeDescriptor(
    server,
    "tcp",
    address,
    port,
    inheritedFd,
    (s, fd, done) => s.listen({ fd }, done),
    (s) => s.address() as net.AddressInfo,
  );
}

/** Binds a UDP socket to address:port in the reuse-port group of that address (or to `inheritedFd`). */
export function bindUdpReusePort(socket: dgram.Socket, address: string, port: number, inheritedFd?: number): Promise<number> {
  return takeDescriptor(
    socket,
    "udp",
    address,
    port,
    inheritedFd,
    (s, fd, done) => s.bind({ fd }, done),
    (s) => s.address(),
  );
}

/** Closes a descriptor that no server or socket owns (an inherited one nobody took). */
export function closeDescriptor(fd: number): void {
  closeQuietly(fd);
}

function closeQuietly(fd: number): void {
  try {
    closeFd(fd);
  } catch {
    // already closed by the failed listen/bind
  }
}
