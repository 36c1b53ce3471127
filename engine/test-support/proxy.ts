import net from "node:net";
import type { AddressInfo } from "node:net";
import type { ConnectionHandler } from "../listeners/listener.types";

/** A plain net.Server on 127.0.0.1:0 feeding a ConnectionHandler, the way the listener set binds TCP. */
export async function serveHandler(handler: ConnectionHandler): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => handler.handle(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Opens a connection and resolves once the greeting line arrived; the socket stays open. */
export function holdConnection(port: number, localAddress?: string): Promise<{ name: string; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1", localAddress });
    let data = "";
    socket.setEncoding("utf8");
    const onData = (chunk: string) => {
      data += chunk;
      const end = data.indexOf("\n");
      if (end < 0) return;
      socket.off("data", onData);
      resolve({ name: data.slice(0, end), socket });
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.once("close", () => reject(new Error("closed before greeting")));
    setTimeout(() => reject(new Error("holdConnection timed out")), 3000).unref();
  });
}
