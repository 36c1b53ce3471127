import type { AccessLogEntry } from "@/engine/protocol/access-log-entry.types";

/** Seconds with millisecond resolution, as the line has them. */
const seconds = (v: number) => v.toFixed(3);

/**
 * Every field of table 7-1 in the table's order, as the expanded row lists them: the table's name and
 * the value as the record has it ("-" for a missing one, as in the line).
 */
export function accessLogFieldRows(e: AccessLogEntry): [name: string, value: string][] {
  const dash = (v: string | number | null) => (v === null ? "-" : String(v));
  return [
    ["msec", seconds(e.msec)],
    ["access_log_topic_id", e.accessLogTopicId],
    ["time_iso8601", e.timeIso8601],
    ["log_ver", e.logVer],
    ["remote_addr:remote_port", `${e.remoteAddr}:${e.remotePort}`],
    ["status", String(e.status)],
    ["request_method scheme://host router_request_uri server_protocol", `${e.requestMethod} ${e.scheme}://${e.host}${e.routerRequestUri} ${e.serverProtocol}`],
    ["request_length", String(e.requestLength)],
    ["bytes_sent", String(e.bytesSent)],
    ["body_bytes_sent", String(e.bodyBytesSent)],
    ["request_time", seconds(e.requestTime)],
    ["upstream_status", dash(e.upstreamStatus)],
    ["upstream_connect_time", dash(e.upstreamConnectTime)],
    ["upstream_header_time", dash(e.upstreamHeaderTime)],
    ["upstream_response_time", dash(e.upstreamResponseTime)],
    ["upstream_addr", dash(e.upstreamAddr)],
    ["http_user_agent", dash(e.httpUserAgent)],
    ["http_referer", dash(e.httpReferer)],
    ["http_x_forwarded_for", dash(e.httpXForwardedFor)],
    ["lb_name", e.lbName],
    ["listener_name", e.listenerName],
    ["listener_id", e.listenerId],
    ["pool_name", dash(e.poolName)],
    ["member_name", dash(e.memberName)],
    ["tenant_id", e.tenantId],
    ["eip_address:eip_port", `${e.eipAddress ?? "-"}:${e.eipPort}`],
    ["upstream_addr_priv", dash(e.upstreamAddrPriv)],
    ["certificate_id", dash(e.certificateId)],
    ["ssl_protocol", dash(e.sslProtocol)],
    ["ssl_cipher", dash(e.sslCipher)],
    ["sni_domain_name", dash(e.sniDomainName)],
    ["tcpinfo_rtt", dash(e.tcpinfoRtt)],
  ];
}
