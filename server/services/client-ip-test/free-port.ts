import dgram from "node:dgram";
import net from "node:net";

/**
 * A port free on `address` for TCP or UDP right now (the kernel's choice on a throw-away socket). Another
 * process may take it before the test engine binds it: that shows as the engine's bind error.
 */
export function freePort(address: string, kind: "TCP" | "UDP"): Promise<number> {
  return new Promise((resolve, reject) => {
    if (kind === "UDP") {
      const socket = dgram.createSocket("udp4");
      socket.once("error", reject);
      socket.bind(0, address, () => {
        const { port } = socket.address();
        socket.close(() => resolve(port));
      });
      return;
    }
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, address, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
