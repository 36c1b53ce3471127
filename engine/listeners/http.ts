// PLACEHOLDER written by the engine-core/L4 helper so engine/runtime compiles and its tests run before
// the HTTP/1.1 L7 path lands. The L7 helper owns this file: replace it wholesale with the real handler.
// It answers every request on the connection with 503 and closes; it is not the L7 implementation.
import type net from "node:net";
import type { ConnectionHandler, ListenerRoute } from "./listener.types";

/** PLACEHOLDER: HTTP listener handler (real one: engine/l7, by the L7 helper). */
export function createHttpHandler(route: ListenerRoute, hooks?: unknown): ConnectionHandler {
  void route;
  void hooks;
  const open = new Set<net.Socket>();
  return {
    handle(socket) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => {});
      socket.end("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    },
    update() {},
    drain() {
      for (const socket of open) socket.destroy();
      return Promise.resolve();
    },
  };
}
