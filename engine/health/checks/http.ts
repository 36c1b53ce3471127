import http from "node:http";
import net from "node:net";
import type { HealthCheck } from "./check.types";
import { probe } from "./probe";

/**
 * HTTP health check (guide table 5-1): `GET <path>` with Host = the monitor's domain name, or the
 * member's address when none; healthy when the status code is one of `expectedCodes`. A fresh
 * connection per check (no agent), closed as soon as the status line arrives.
 */
export const httpCheck: HealthCheck = (target, monitor, signal) =>
  probe(monitor.timeoutSeconds * 1000, signal, (done) => {
    const host = monitor.domainName ?? (net.isIPv6(target.address) ? `[${target.address}]` : target.address);
    const request = http.request({
      host: target.address,
      port: target.port,
      method: "GET",
      path: monitor.path,
      headers: { host, "user-agent": "ELB-HealthCheck", connection: "close" },
      agent: false,
    });
    request.once("response", (response) => {
      done(monitor.expectedCodes.includes(response.statusCode ?? 0));
      response.resume();
    });
    request.on("error", () => done(false));
    request.end();
    return () => request.destroy();
  });
