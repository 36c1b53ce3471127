import { describe, expect, it } from "vitest";
import { parseAccessLogLine } from "@/engine/protocol/access-log-line";
import { testLine } from "@/server/access-logs/test-lines";
import { accessLogFieldRows } from "./access-log-fields";
import { downloadUrl, queryOf } from "./access-log-range";

describe("Access Logs tab, pure parts", () => {
  it("lists all 32 fields of table 7-1 in the table's order, with '-' where the record has none", () => {
    const entry = parseAccessLogLine(testLine({ ms: Date.UTC(2026, 0, 1), status: 502, path: "/a?b=1" }))!;
    const rows = accessLogFieldRows(entry);
    expect(rows.map(([name]) => name)).toEqual([
      "msec", "access_log_topic_id", "time_iso8601", "log_ver", "remote_addr:remote_port", "status",
      "request_method scheme://host router_request_uri server_protocol", "request_length", "bytes_sent", "body_bytes_sent",
      "request_time", "upstream_status", "upstream_connect_time", "upstream_header_time", "upstream_response_time", "upstream_addr",
      "http_user_agent", "http_referer", "http_x_forwarded_for", "lb_name", "listener_name", "listener_id", "pool_name", "member_name",
      "tenant_id", "eip_address:eip_port", "upstream_addr_priv", "certificate_id", "ssl_protocol", "ssl_cipher", "sni_domain_name", "tcpinfo_rtt",
    ]);
    const value = new Map(rows);
    expect(value.get("request_method scheme://host router_request_uri server_protocol")).toBe("GET http://shop.example.com/a?b=1 HTTP/1.1");
    expect(value.get("upstream_header_time")).toBe("-");
    expect(value.get("msec")).toBe("1767225600.000");
  });

  it("fixes the range at submit time and keeps only the filters typed; the download URL carries the same", () => {
    const now = 1_800_000_000_000;
    const draft = { range: "3h" as const, customFrom: "", customTo: "", status: " 5xx ", clientIp: "", path: "/api", text: "" };
    const q = queryOf(draft, now);
    expect(q).toEqual({ from: now - 3 * 3_600_000, to: now, status: "5xx", path: "/api" });
    expect(downloadUrl("lb 1", q)).toBe(`/api/load-balancers/lb%201/access-logs?from=${now - 3 * 3_600_000}&to=${now}&status=5xx&path=%2Fapi`);
  });
});
