import net from "node:net";
import type { HealthCheck } from "./check.types";
import { probe } from "./probe";

/** TCP health check: healthy when a connection to the target completes within the timeout. */
export const tcpCheck: HealthCheck = (target, monitor, signal) =>
  probe(monitor.timeoutSeconds * 1000, signal, (done) => {
    const socket = net.connect({ host: target.address, port: target.port });
    socket.once("connect", () => done(true));
    socket.on("error", () => done(false));
    return () => socket.destroy();
  });
