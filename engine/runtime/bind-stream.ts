import net from "node:net";
import { listenReusePort } from "../io/reuse-port";
import type { ListenerProtocol } from "../protocol/snapshot.types";

/** How often a bind that hit EADDRINUSE is retried (the previous owner's socket may be closing). */
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

/**
 * Listens on address:port and hands every accepted socket to `onConnection`. Rejects with the
 * bind error after a few EADDRINUSE retries (a listener removed in the same snapshot releases the
 * port asynchronously). Errors the server reports once listening (a failed accept: EMFILE, ENFILE,
 * ENOBUFS…) go to `onError` (default: logged); the server keeps listening after them.
 */
export async function listenStream(
  protocol: ListenerProtocol,
  address: string,
  port: number,
  onConnection: (socket: net.Socket) => void,
  onError: (err: NodeJS.ErrnoException) => void = logServerError(address, port),
  /** Join the address's SO_REUSEPORT group (several worker threads accept on it); default a plain bind. */
  reusePort = false,
): Promise<net.Server> {
  for (let attempt = 0; ; attempt++) {
    const server = net.createServer(serverOptions(protocol), onConnection);
    try {
      if (reusePort) await listenReusePort(server, address, port);
      else {
        await new Promise<void>((resolve, reject) => {
          server.once("error", reject);
          server.listen({ host: address, port }, () => {
            server.off("error", reject);
            resolve();
          });
        });
      }
      server.on("error", onError);
      return server;
    } catch (err) {
      server.close();
      if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE" || attempt >= IN_USE_RETRIES) throw err;
      await new Promise((resolve) => setTimeout(resolve, IN_USE_DELAY_MS));
    }
  }
}

/** Stops accepting on a server; connections already accepted belong to the handler and live on. */
export function stopAccepting(server: net.Server): void {
  server.close();
}
