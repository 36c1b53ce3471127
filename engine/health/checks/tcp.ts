import net from "node:net";
import type { HealthCheck } from "./check.types";
import { failed, probe } from "./probe";

/** TCP health check: healthy when a connection to the target completes within the timeout (null: no descriptor to try with). */
export const tcpCheck: HealthCheck = (target, monitor, signal) =>
  probe(monitor.timeoutSeconds * 1000, signal, (done) => {
    const socket = net.connect({ host: target.address, port: target.port });
    socket.once("connect", () => done(true));
    socket.on("error", (err) => done(failed(err)));
    return () => socket.destroy();
  });
