import net from "node:net";
import { listenReusePort } from "../io/reuse-port";
import type { ListenerProtocol } from "../protocol/snapshot.types";

/** How often a bind that hit EADDRINUSE is retried (another program's socket on the port may be closing). */
const IN_USE_RETRIES = 5;
const IN_USE_DELAY_MS = 40;

/**
 * Socket options per stream protocol. TCP (L4): half-open kept (FIN is forwarded, not answered)
 * and accepted sockets start paused so no byte is read before a backend is connected.
 * HTTP: Node's defaults; the L7 handler drives reading itself.
 */
function serverOptions(protocol: ListenerProtocol): net.ServerOpts {
  return protocol === "TCP" ? { allowHalfOpen: true, pauseOnConnect: true, noDelay: true } : { noDelay: true };
}

/** Default handler of errors a listening server reports after the bind (failed accepts): logged. */
function logServerError(address: string, port: number): (err: NodeJS.ErrnoException) => void {
  return (err) => console.error(`[engine] listener ${address}:${port}: ${err.message}`);
}

/** A listening server and the descriptor it owns (handed to a new engine build on upgrade). */
export interface ListeningStream {
  server: net.Server;
  fd: number;
}

/**
 * Listens on address:port, in the address's SO_REUSEPORT group (io/reuse-port.ts: every listening socket
 * of the engine is, so worker threads and a new engine build can share it), and hands every accepted
 * socket to `onConnection`. With `inheritedFd` (a socket the engine this one replaced was listening on)
 * that socket is used; should it not be bound to address:port, it is closed and a new one opened.
 * Rejects with the bind error after a few EADDRINUSE retries. Errors the server reports once listening
 * (a failed accept: EMFILE, ENFILE, ENOBUFS…) go to `onError` (default: logged); the server keeps
 * listening after them.
 */
export async function listenStream(
  protocol: ListenerProtocol,
  address: string,
  port: number,
  onConnection: (socket: net.Socket) => void,
  onError: (err: NodeJS.ErrnoException) => void = logServerError(address, port),
  inheritedFd?: number,
): Promise<ListeningStream> {
  let inherited = inheritedFd;
  for (let attempt = 0; ; attempt++) {
    const server = net.createServer(serverOptions(protocol), onConnection);
    try {
      const fd = await listenReusePort(server, address, port, inherited);
      server.on("error", onError);
      return { server, fd };
    } catch (err) {
      server.close();
      if (inherited !== undefined) {
        console.error(`[engine] listener ${address}:${port}: inherited socket not usable (${(err as Error).message}); opening a new one`);
        inherited = undefined;
        continue;
      }
      if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE" || attempt >= IN_USE_RETRIES) throw err;
      await new Promise((resolve) => setTimeout(resolve, IN_USE_DELAY_MS));
    }
  }
}

/** Stops accepting on a server; connections already accepted belong to the handler and live on. */
export function stopAccepting(server: net.Server): void {
  server.close();
}
