import type dgram from "node:dgram";
import net from "node:net";
import { closeFd, openSocket } from "elb-native-socket";

/**
 * Sockets that several engine workers bind to the same address and port (SO_REUSEPORT): the kernel
 * spreads new TCP connections over the listening sockets of the group and keeps each UDP client
 * (its address and port) on one socket, so a datagram session stays on one worker. Node 20's net and
 * dgram cannot set SO_REUSEPORT before bind, so the socket is opened and bound by the small addon in
 * engine/native/socket and handed over as a descriptor (`listen({ fd })`, `bind({ fd })`).
 */

/** Family (4 or 6) of a literal address; the engine binds literal addresses only. */
function familyOf(address: string): 4 | 6 {
  const family = net.isIP(address);
  if (family === 0) throw Object.assign(new Error(`not an IP address: ${address}`), { code: "EINVAL" });
  return family as 4 | 6;
}

/**
 * Makes `server` listen on address:port in the reuse-port group of that address. Rejects with the
 * bind error (code EADDRINUSE when a socket without SO_REUSEPORT, or another user's, holds the port).
 */
export function listenReusePort(server: net.Server, address: string, port: number): Promise<void> {
  let fd: number;
  try {
    fd = openSocket(familyOf(address), "tcp", address, port, true);
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise<void>((resolve, reject) => {
    const fail = (err: Error): void => {
      closeQuietly(fd);
      reject(err);
    };
    server.once("error", fail);
    server.listen({ fd }, () => {
      server.off("error", fail);
      resolve();
    });
  });
}

/** Binds a UDP socket to address:port in the reuse-port group of that address. */
export function bindUdpReusePort(socket: dgram.Socket, address: string, port: number): Promise<void> {
  let fd: number;
  try {
    fd = openSocket(familyOf(address), "udp", address, port, true);
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise<void>((resolve, reject) => {
    const fail = (err: Error): void => {
      closeQuietly(fd);
      reject(err);
    };
    socket.once("error", fail);
    socket.bind({ fd }, () => {
      socket.off("error", fail);
      resolve();
    });
  });
}

function closeQuietly(fd: number): void {
  try {
    closeFd(fd);
  } catch {
    // already closed by the failed listen/bind
  }
}
