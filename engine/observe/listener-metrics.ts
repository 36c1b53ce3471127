import type net from "node:net";
import { LISTENER_COUNTERS, LISTENER_GAUGES, type ListenerMetricsReport } from "../protocol/metrics.types";
import type { AccessLogSink } from "./access-log/access-log-sink.types";
import type { ConnectionContext, ConnectionObserver, RequestRecord } from "./observer.types";

// Places in a listener's row: LISTENER_COUNTERS in order, then LISTENER_GAUGES.
const CONNECTIONS = 0;
const PACKETS_IN = 1;
const PACKETS_OUT = 2;
const BYTES_IN = 3;
const BYTES_OUT = 4;
const REQUESTS = 5;
const S2XX = 6;
const S3XX = 7;
const S4XX = 8;
const S5XX = 9;
const OTHER = 10;
const S404 = 11;
const S499 = 12;
const S502 = 13;
const RESPONSE_TIME = 14;
const COUNTERS = LISTENER_COUNTERS.length;
const CONCURRENT = COUNTERS;
const ACTIVE = COUNTERS + 1;
const INACTIVE = COUNTERS + 2;
const FIELDS = COUNTERS + LISTENER_GAUGES.length;

/** Where an accepted socket keeps its context for the shared 'close' listener. */
const ACCEPTED = Symbol("accepted context");
type AcceptedSocket = net.Socket & { [ACCEPTED]?: ConnectionContext };

/** 'close' listener of every socket a stream listener admitted (`this` = the socket): one function for all, no closure per connection. */
function releaseOnClose(this: AcceptedSocket): void {
  const context = this[ACCEPTED];
  if (context !== undefined) (context.observer as ListenerObserver).released(context);
}

/** What `requestsInFlight` is set to when a connection closes: no later hook moves a gauge (n++ never reaches 0, n > 0 never holds). */
const CLOSED = -0x3fffffff;

/**
 * The observer of one listener in one thread: counts into that listener's row (the counters and gauges
 * of protocol/metrics.types.ts, whose doc comments define them) and hands each finished request to the
 * listener's access-log sink. Built once per listener (not per connection or request): every hook is a
 * few array writes on the row it holds, with no lookup, allocation or closure.
 *
 * Status classes: a request the client cut short (error `client_closed`) counts as 499 (and 4xx) whatever
 * status had gone out; otherwise by the status sent: 404 is also 4xx, 502 also 5xx, and 1xx, 0 (a response
 * cut short before its head) and anything outside 100–599 are "other". Response time is the request
 * head's first byte received → response complete (the record's `doneAt - startedAt`; guide 8.1 m14).
 *
 * Gauges: a TCP connection is inactive while its PROXY header is awaited, then active; a UDP session is
 * active while open; an HTTP/HTTPS connection is inactive (in its TLS handshake or PROXY header, or
 * keep-alive idle) until a request starts, active while at least one of its requests (HTTP/2 streams) is
 * in progress, inactive again after the last one is done. `context.requestsInFlight` says which: > 0 =
 * active (a TCP connection carrying traffic holds 1).
 *
 * A stream listener (TCP, HTTP, HTTPS) counts a connection at accept (`accepted`, called by its stream
 * binding once the connection is admitted, before any handshake or header) until its socket closes, so
 * connections that never reach the handler (a failed handshake) are counted too; the handler's
 * connectionOpened/Closed then only go on to `next`. A UDP listener counts sessions at connectionOpened/Closed.
 */
export class ListenerObserver implements ConnectionObserver {
  readonly observesRequests = true;
  /** The listener's access-log writer (null = access logging off); replaced when a snapshot changes it. */
  sink: AccessLogSink | null = null;
  /** `next` when it asked for requests (`observesRequests`), else null: it gets no requestStarted/requestDone. */
  private readonly nextRequests: ConnectionObserver | null;

  /** The HTTP path fills each record's access-log detail only for a listener that writes access logs. */
  get logsRequests(): boolean {
    return this.sink !== null;
  }

  constructor(
    /** The listener's row in its thread's table. */
    readonly row: Float64Array,
    /** HTTP or HTTPS: connections are idle between requests. */
    readonly l7: boolean,
    /** TCP, HTTP, HTTPS: connections are counted at accept (`accepted`), not by the handler's hooks. */
    readonly countsAtAccept: boolean,
    /** Also sees every event (the engine-wide observer: worker counters, tests); null = none. */
    private readonly next: ConnectionObserver | null,
  ) {
    this.nextRequests = next !== null && next.observesRequests ? next : null;
  }

  /**
   * A stream listener admitted `socket` (its context `context`): counted until the socket closes;
   * `awaitingHeader`: its PROXY header is read first (a TCP connection is inactive until `headerRead`).
   */
  accepted(socket: net.Socket, context: ConnectionContext, awaitingHeader: boolean): void {
    const row = this.row;
    row[CONNECTIONS]!++;
    row[CONCURRENT]!++;
    if (this.l7 || awaitingHeader) row[INACTIVE]!++;
    else {
      row[ACTIVE]!++;
      context.requestsInFlight = 1;
    }
    (socket as AcceptedSocket)[ACCEPTED] = context;
    socket.on("close", releaseOnClose);
  }

  /** A TCP connection's PROXY header was read and accepted: it carries traffic now. */
  headerRead(context: ConnectionContext): void {
    if (this.l7 || context.requestsInFlight !== 0) return;
    context.requestsInFlight = 1;
    const row = this.row;
    row[ACTIVE]!++;
    row[INACTIVE]!--;
  }

  /** The socket of a connection counted by `accepted` closed. */
  released(context: ConnectionContext): void {
    const row = this.row;
    row[CONCURRENT]!--;
    if (context.requestsInFlight > 0) row[ACTIVE]!--;
    else row[INACTIVE]!--;
    context.requestsInFlight = CLOSED;
  }

  connectionOpened(context: ConnectionContext): void {
    if (!this.countsAtAccept) {
      // A UDP session: active while open.
      const row = this.row;
      row[CONNECTIONS]!++;
      row[CONCURRENT]!++;
      row[ACTIVE]!++;
      context.requestsInFlight = 1;
    }
    this.next?.connectionOpened(context);
  }

  bytesIn(context: ConnectionContext, bytes: number): void {
    const row = this.row;
    row[PACKETS_IN]!++;
    row[BYTES_IN]! += bytes;
    this.next?.bytesIn(context, bytes);
  }

  bytesOut(context: ConnectionContext, bytes: number): void {
    const row = this.row;
    row[PACKETS_OUT]!++;
    row[BYTES_OUT]! += bytes;
    this.next?.bytesOut(context, bytes);
  }

  requestStarted(context: ConnectionContext): void {
    if (context.requestsInFlight++ === 0) {
      const row = this.row;
      row[ACTIVE]!++;
      row[INACTIVE]!--;
    }
    this.nextRequests?.requestStarted(context);
  }

  requestDone(context: ConnectionContext, record: RequestRecord): void {
    const row = this.row;
    row[REQUESTS]!++;
    row[RESPONSE_TIME]! += record.doneAt - record.startedAt;
    const status = record.status;
    if (record.error === "client_closed") {
      row[S4XX]!++;
      row[S499]!++;
    } else if (status >= 200 && status < 300) row[S2XX]!++;
    else if (status >= 300 && status < 400) row[S3XX]!++;
    else if (status >= 400 && status < 500) {
      row[S4XX]!++;
      if (status === 404) row[S404]!++;
    } else if (status >= 500 && status < 600) {
      row[S5XX]!++;
      if (status === 502) row[S502]!++;
    } else row[OTHER]!++;
    if (context.requestsInFlight > 0 && --context.requestsInFlight === 0) {
      row[ACTIVE]!--;
      row[INACTIVE]!++;
    }
    this.sink?.write(context, record);
    this.nextRequests?.requestDone(context, record);
  }

  error(context: ConnectionContext, kind: Parameters<ConnectionObserver["error"]>[1], cause: unknown): void {
    this.next?.error(context, kind, cause);
  }

  connectionClosed(context: ConnectionContext): void {
    if (!this.countsAtAccept) this.released(context);
    this.next?.connectionClosed(context);
  }
}

/** One listener's row and whether a snapshot still has the listener. */
interface Entry {
  readonly row: Float64Array;
  live: boolean;
}

/**
 * The metric rows of one thread's listeners, by listener id. A listener keeps its row across snapshots
 * (same id → same counters, totals since the engine started, even when its protocol or port changes);
 * a removed listener's row is reported until its connections have drained (concurrent back to 0),
 * then dropped.
 */
export class ListenerMetricsTable {
  private readonly rows = new Map<string, Entry>();

  /** The observer of listener `listenerId` of `protocol` (a new object over the listener's kept row). */
  observerFor(listenerId: string, protocol: "TCP" | "UDP" | "HTTP" | "HTTPS", next: ConnectionObserver | null): ListenerObserver {
    let entry = this.rows.get(listenerId);
    if (entry === undefined) {
      entry = { row: new Float64Array(FIELDS), live: true };
      this.rows.set(listenerId, entry);
    }
    entry.live = true;
    return new ListenerObserver(entry.row, protocol === "HTTP" || protocol === "HTTPS", protocol !== "UDP", next);
  }

  /** After a snapshot was applied: the ids of the listeners it has (the others are draining or gone). */
  retain(liveIds: Iterable<string>): void {
    const live = new Set(liveIds);
    for (const [id, entry] of this.rows) entry.live = live.has(id);
  }

  /** Every listener's numbers now; a removed listener with no connection left is dropped (and not reported). */
  report(): ListenerMetricsReport[] {
    const out: ListenerMetricsReport[] = [];
    for (const [listenerId, entry] of this.rows) {
      const row = entry.row;
      if (!entry.live && row[CONCURRENT]! <= 0) {
        this.rows.delete(listenerId);
        continue;
      }
      out.push({ listenerId, counters: Array.from(row.subarray(0, COUNTERS)), gauges: Array.from(row.subarray(COUNTERS, FIELDS)) });
    }
    return out;
  }
}
