/**
 * The engine's metric counters as it reports them to the console ("metrics" message, ./ipc.types.ts).
 * Every value is per listener; the console derives guide 8.1's metrics from them (rates from the
 * difference of two reports, load balancer values as sums over its listeners).
 */

/**
 * Cumulative counters, in this order in `ListenerMetricsReport.counters`: totals since the engine process
 * started (they only grow; a new engine process — `startedAt` changes — starts again from 0).
 * - connections: TCP/HTTP/HTTPS connections accepted and UDP sessions opened (m4_ncps)
 * - packetsIn / packetsOut: reads from and writes to the client (the engine sees socket reads and writes,
 *   or datagrams for UDP, not IP packets) (m5_in_pps / m6_out_pps)
 * - bytesIn / bytesOut: bytes read from and written to the client (m7_in_Bps / m8_out_Bps)
 * - requests: HTTP requests finished (mb_l7_queries), and by the status sent to the client: status2xx …
 *   status5xx, statusOther (1xx and anything outside 100–599), status404, status499 (the client closed
 *   before a response was complete: nginx's 499), status502
 * - responseTimeMs: sum of the requests' response times in ms, head read → response complete (m14_l7_rt
 *   = its difference / requests' difference)
 */
export const LISTENER_COUNTERS = [
  "connections",
  "packetsIn",
  "packetsOut",
  "bytesIn",
  "bytesOut",
  "requests",
  "status2xx",
  "status3xx",
  "status4xx",
  "status5xx",
  "statusOther",
  "status404",
  "status499",
  "status502",
  "responseTimeMs",
] as const;

/** Name of one cumulative counter. */
export type ListenerCounter = (typeof LISTENER_COUNTERS)[number];

/**
 * Gauges, in this order in `ListenerMetricsReport.gauges`: values at the time of the report.
 * - concurrent: client connections (and UDP sessions) open now (m1_cps)
 * - active: those carrying traffic now — TCP connections and UDP sessions, HTTP connections with a
 *   request in progress (m2_act_conn)
 * - inactive: open but idle — HTTP keep-alive connections between requests, connections still in their
 *   TLS handshake or PROXY header (m3_inact_conn); concurrent = active + inactive
 */
export const LISTENER_GAUGES = ["concurrent", "active", "inactive"] as const;

/** Name of one gauge. */
export type ListenerGauge = (typeof LISTENER_GAUGES)[number];

/** One listener's numbers in a metrics report (summed over the engine's worker threads). */
export interface ListenerMetricsReport {
  listenerId: string;
  /** LISTENER_COUNTERS.length values, in that order. */
  counters: number[];
  /** LISTENER_GAUGES.length values, in that order. */
  gauges: number[];
}

/** What one log stream's writers did since the engine started (summed over workers). */
export interface AccessLogStreamReport {
  /** Log stream id (table 7-1's access_log_topic_id). */
  streamId: string;
  /** Records written to the stream's files. */
  written: number;
  /** Records dropped because the bounded buffer was full (the disk or the syslog peer could not keep up). */
  dropped: number;
  /** Records sent to the stream's syslog server, and those that could not be (peer down, buffer full). */
  syslogSent: number;
  syslogDropped: number;
}

/** The engine's periodic report (every `ELB_METRICS_INTERVAL_MS`, default 10 000 ms). */
export interface MetricsReport {
  /** Date.now() when the engine process started: counters are totals since then. */
  startedAt: number;
  /** Date.now() when the values were read. */
  at: number;
  /** Every live listener (a removed one stops appearing; one added starts from 0). */
  listeners: ListenerMetricsReport[];
  /** Every log stream a live listener writes to. */
  accessLogs: AccessLogStreamReport[];
}
