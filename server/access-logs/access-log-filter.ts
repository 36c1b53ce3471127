import type { AccessLogEntry } from "@/engine/protocol/access-log-entry.types";
import { statusSelected, type StatusFilter } from "./status-filter";

/** What an access-log search or download selects (all given conditions must hold). */
export interface AccessLogFilter {
  /** Time range of msec (when the request finished), ms since the epoch, both ends included. */
  fromMs: number;
  toMs: number;
  status?: StatusFilter;
  /** remote_addr exactly (the client's address as the engine saw it). */
  clientIp?: string;
  /** router_request_uri starts with this. */
  pathPrefix?: string;
  /** The raw line contains this (case-insensitive). */
  text?: string;
  /**
   * lb_name exactly ("loadbalancer_<load balancer id>"): load balancers may share a log stream, and a
   * load balancer's search sees only its own records.
   */
  lbName?: string;
}

/**
 * A filter compiled once per search: `mayMatch` is a cheap test on the raw line (substring checks) that
 * lets most non-matching lines skip parsing; `matches` decides on the parsed entry.
 */
export interface CompiledFilter {
  mayMatch(line: string): boolean;
  matches(entry: AccessLogEntry): boolean;
}

/** Compiles `filter`: each condition adds one check, none adds nothing. */
export function compileFilter(filter: AccessLogFilter): CompiledFilter {
  const text = filter.text?.toLowerCase();
  const needles: string[] = [];
  if (filter.clientIp) needles.push(` ${filter.clientIp}:`);
  if (filter.pathPrefix) needles.push(filter.pathPrefix);
  if (filter.lbName) needles.push(` ${filter.lbName} `);
  return {
    mayMatch(line) {
      for (const needle of needles) if (!line.includes(needle)) return false;
      return text === undefined || line.toLowerCase().includes(text);
    },
    matches(entry) {
      const ms = Math.round(entry.msec * 1000);
      if (ms < filter.fromMs || ms > filter.toMs) return false;
      if (filter.status && !statusSelected(filter.status, entry.status)) return false;
      if (filter.clientIp && entry.remoteAddr !== filter.clientIp) return false;
      if (filter.pathPrefix && !entry.routerRequestUri.startsWith(filter.pathPrefix)) return false;
      if (filter.lbName && entry.lbName !== filter.lbName) return false;
      return true;
    },
  };
}
