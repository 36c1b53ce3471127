import http from "node:http";
import net from "node:net";
import type { HealthCheck } from "./check.types";
import { failed, probe } from "./probe";

/** Bytes a request-target may carry as they are: visible ASCII. Anything else is percent-encoded. */
const PLAIN_TARGET = /^[\x21-\x7e]*$/;
const NOT_PLAIN = /[^\x21-\x7e]+/g;

/**
 * The check path as a valid request-target: characters outside visible ASCII (non-ASCII such as
 * "/健康", spaces, control characters) are percent-encoded as UTF-8, the way a browser or curl sends
 * them, so the backend sees `/%E5%81%A5%E5%BA%B7`; existing `%XX` escapes and reserved characters stay
 * as they are. (Node's http.request rejects such paths outright; the console should refuse them too,
 * this keeps the engine safe whatever it receives.) A lone surrogate encodes as U+FFFD.
 */
export function encodeCheckPath(path: string): string {
  if (PLAIN_TARGET.test(path)) return path;
  return path.replace(NOT_PLAIN, (run) => {
    let out = "";
    for (const byte of Buffer.from(run, "utf8")) out += `%${byte < 16 ? "0" : ""}${byte.toString(16).toUpperCase()}`;
    return out;
  });
}

/** A connection to address:port whose first bytes are `header` (writes made while connecting are sent in order once connected). */
function connectWithHeader(host: string, port: number, header: Buffer): net.Socket {
  const socket = net.connect({ host, port });
  socket.write(header);
  return socket;
}

/**
 * HTTP health check (guide table 5-1): `GET <path>` with Host = the monitor's domain name, or the
 * member's address when none; healthy when the status code is one of `expectedCodes`. A fresh
 * connection per check (no agent), closed as soon as the status line arrives. The path is sent
 * percent-encoded (`encodeCheckPath`); a request Node still refuses (e.g. a domain name with control
 * characters) counts as unhealthy. With a PROXY header (`target.proxyHeader`) the check opens the
 * connection itself and writes the header on it before the request (queued while connecting, so it is
 * the first byte on the wire).
 */
export const httpCheck: HealthCheck = (target, monitor, signal) =>
  probe(monitor.timeoutSeconds * 1000, signal, (done) => {
    const host = monitor.domainName ?? (net.isIPv6(target.address) ? `[${target.address}]` : target.address);
    const header = target.proxyHeader ?? null;
    const request = http.request({
      host: target.address,
      port: target.port,
      method: "GET",
      path: encodeCheckPath(monitor.path),
      headers: { host, "user-agent": "ELB-HealthCheck", connection: "close" },
      // No agent (a fresh connection per check); a createConnection of our own is used only without one.
      ...(header === null ? { agent: false } : { createConnection: () => connectWithHeader(target.address, target.port, header) }),
    });
    request.once("response", (response) => {
      done(monitor.expectedCodes.includes(response.statusCode ?? 0));
      response.resume();
    });
    request.on("error", (err) => done(failed(err)));
    request.end();
    return () => request.destroy();
  });
