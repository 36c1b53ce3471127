/**
 * One access-log record (guide table 7-1) as `parseAccessLogLine` (./access-log-line.ts) reads it back
 * from a line. Fields keep the table's names; a field written as "-" reads as null. Times are seconds.
 * Fields that list one value per attempt (a retried request) keep the text as written
 * (nginx's style: "502, 200").
 */
export interface AccessLogEntry {
  /** msec: seconds since the epoch with millisecond resolution (when the request finished). */
  msec: number;
  accessLogTopicId: string;
  timeIso8601: string;
  logVer: string;
  remoteAddr: string;
  remotePort: number;
  status: number;
  requestMethod: string;
  scheme: string;
  host: string;
  /** Path and query as the client sent them. */
  routerRequestUri: string;
  serverProtocol: string;
  requestLength: number;
  bytesSent: number;
  bodyBytesSent: number;
  requestTime: number;
  upstreamStatus: string | null;
  upstreamConnectTime: string | null;
  upstreamHeaderTime: string | null;
  upstreamResponseTime: string | null;
  upstreamAddr: string | null;
  httpUserAgent: string | null;
  httpReferer: string | null;
  httpXForwardedFor: string | null;
  lbName: string;
  listenerName: string;
  listenerId: string;
  poolName: string | null;
  memberName: string | null;
  tenantId: string;
  eipAddress: string | null;
  eipPort: number;
  upstreamAddrPriv: string | null;
  certificateId: string | null;
  sslProtocol: string | null;
  sslCipher: string | null;
  sniDomainName: string | null;
  /** tcpinfo_rtt in microseconds (null when the engine could not read it). */
  tcpinfoRtt: number | null;
}
