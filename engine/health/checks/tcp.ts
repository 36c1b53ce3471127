import net from "node:net";
import type { HealthCheck } from "./check.types";
import { failed, probe } from "./probe";

/**
 * TCP health check: healthy when a connection to the target completes within the timeout (null: no
 * descriptor to try with). With a PROXY header (`target.proxyHeader`) the check writes it once
 * connected and is done when the kernel took it, as HAProxy's `check-send-proxy` does.
 */
export const tcpCheck: HealthCheck = (target, monitor, signal) =>
  probe(monitor.timeoutSeconds * 1000, signal, (done) => {
    const socket = net.connect({ host: target.address, port: target.port });
    const header = target.proxyHeader ?? null;
    socket.once("connect", () => (header === null ? done(true) : socket.write(header, (err) => done(err == null ? true : failed(err)))));
    socket.on("error", (err) => done(failed(err)));
    return () => socket.destroy();
  });
