import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { accessLogFileName } from "@/engine/protocol/access-log-files";
import { escapeLogValue, formatMsec } from "@/engine/protocol/access-log-line";

/** The varying parts of a test record; the rest is fixed and realistic (an HTTP request through an EIP). */
export interface TestRecord {
  ms: number;
  status: number;
  clientIp?: string;
  path?: string;
  userAgent?: string;
  /** The load balancer whose listener wrote it (lb_name loadbalancer_<id>); default "lb-1". */
  loadBalancerId?: string;
}

/** Test helper: a table 7-1 line as the engine writes it (access-log-line.ts's layout), with its newline. */
export function testLine(r: TestRecord, streamId = "stream-t"): string {
  const ip = r.clientIp ?? "10.1.2.3";
  const iso = new Date(r.ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");
  const upstream = r.status === 502 ? '"502" "0.001" "-" "0.001" "127.0.0.1:9001"' : `"${r.status}" "0.001" "0.004" "0.004" "127.0.0.1:9001"`;
  return (
    `${formatMsec(r.ms)} ${streamId} [${iso}] 1 ${ip}:40123 ${r.status} "GET http://shop.example.com${escapeLogValue(r.path ?? "/")} HTTP/1.1" 112 345 200 0.005 ` +
    `${upstream} "${escapeLogValue(r.userAgent ?? "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")}" "-" "-" ` +
    `loadbalancer_${r.loadBalancerId ?? "lb-1"} listener_l-1 l-1 pool_p-1 "-" project-1 203.0.113.9:80 "127.0.0.1:9001" - - - - 57\n`
  );
}

/** Test helper: writes a worker's file of the hour of `hourStartMs` into `folder` (gzip = a finished hour); `tail` is appended raw. */
export function writeTestFile(folder: string, hourStartMs: number, worker: number, lines: string[], opts: { gzip?: boolean; tail?: string } = {}): string {
  mkdirSync(folder, { recursive: true });
  const name = accessLogFileName(hourStartMs, worker) + (opts.gzip ? ".gz" : "");
  const body = Buffer.from(lines.join("") + (opts.tail ?? ""), "latin1");
  writeFileSync(path.join(folder, name), opts.gzip ? gzipSync(body, { level: 1 }) : body);
  return path.join(folder, name);
}
