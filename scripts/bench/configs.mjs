// Config writers for the benchmark's processes: backend nginx, nginx and haproxy as reverse proxies,
// and the engine's standalone snapshot. Each proxy gets an HTTP listener (keep-alive to the backend,
// X-Forwarded-For/Proto added) and a TCP pass-through listener, so they do equivalent work.
import path from "node:path";

/** nginx common preamble: everything (pid, logs, temp files) inside `dir`, `workers` workers (one by default), no access log. */
export function nginxMain(dir, events = "worker_connections 4096;", workers = 1) {
  return `
worker_processes ${workers};
pid ${path.join(dir, "nginx.pid")};
error_log ${path.join(dir, "error.log")} warn;
events { ${events} }
`;
}

/** nginx http-block settings every nginx here shares: temp paths inside `dir`, no access log, endless keep-alive. */
export function nginxHttpPaths(dir) {
  return `
  access_log off;
  client_body_temp_path ${path.join(dir, "body")};
  proxy_temp_path ${path.join(dir, "proxy")};
  fastcgi_temp_path ${path.join(dir, "fastcgi")};
  uwsgi_temp_path ${path.join(dir, "uwsgi")};
  scgi_temp_path ${path.join(dir, "scgi")};
  keepalive_requests 1000000;
`;
}

/**
 * The backend: nginx answering 200 "ok" from a return location (it must never be the bottleneck);
 * /stub_status counts the connections it accepted (the after-idle case counts the proxies' reconnects).
 * `proxyProtocolPort`: the same server also on a port that expects a PROXY protocol header (the
 * engine's "client IP" TCP listener sends PROXY v2 there).
 */
export function backendNginx(dir, port, proxyProtocolPort) {
  return `${nginxMain(dir)}
http {
${nginxHttpPaths(dir)}
  server {
    listen 127.0.0.1:${port} backlog=4096;
    ${proxyProtocolPort ? `listen 127.0.0.1:${proxyProtocolPort} proxy_protocol backlog=4096;` : ""}
    location / { return 200 "ok"; }
    location = /stub_status { stub_status; }
  }
}
`;
}

/** Debian's dynamic stream module (package libnginx-mod-stream). */
export const NGINX_STREAM_MODULE = "/usr/lib/nginx/modules/ngx_stream_module.so";

/** The location of every nginx proxy here: keep-alive upstream `backend`, Host and X-Forwarded-* set. */
export const NGINX_PROXY_LOCATION = `location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Port $server_port;
    }`;

/**
 * nginx's equivalent of the engine's table 7-1 access-log record (guide chapter 7): the same fields in
 * the same order, written with a 64 KiB buffer. The constant fields (names, ids) are literals, as the
 * engine compiles them once per listener.
 */
export const NGINX_TABLE_7_1_FORMAT = `log_format elb_table_7_1 '$msec topic-bench [$time_iso8601] 1 $remote_addr:$remote_port $status '
    '"$request_method $scheme://$host$request_uri $server_protocol" $request_length $bytes_sent '
    '$body_bytes_sent $request_time "$upstream_status" "$upstream_connect_time" "$upstream_header_time" '
    '"$upstream_response_time" "$upstream_addr" "$http_user_agent" "$http_referer" "$http_x_forwarded_for" '
    'loadbalancer_lb-bench listener_l-http-log l-http-log '
    'pool_p-http-log "member_m" tenant-bench -:$server_port "$upstream_addr" - '
    '- - - $tcpinfo_rtt';`;

/** nginx as reverse proxy: upstream keep-alive pool, X-Forwarded-*; stream block for TCP; with `loggedPort` also a server writing table 7-1 access logs. */
export function proxyNginx(dir, httpPort, tcpPort, backendPort, workers = 1, loggedPort = 0) {
  return `load_module ${NGINX_STREAM_MODULE};
${nginxMain(dir, undefined, workers)}
http {
${nginxHttpPaths(dir)}
  upstream backend {
    server 127.0.0.1:${backendPort};
    keepalive 256;
  }
  server {
    listen 127.0.0.1:${httpPort} backlog=4096;
    ${NGINX_PROXY_LOCATION}
  }
  ${loggedPort ? `${NGINX_TABLE_7_1_FORMAT}
  server {
    listen 127.0.0.1:${loggedPort} backlog=4096;
    access_log ${path.join(dir, "access.log")} elb_table_7_1 buffer=64k;
    ${NGINX_PROXY_LOCATION}
  }` : ""}
}
stream {
  server {
    listen 127.0.0.1:${tcpPort} backlog=4096;
    proxy_pass 127.0.0.1:${backendPort};
  }
}
`;
}

/** haproxy as reverse proxy: `threads` threads (one by default), connection reuse, forwardfor; a TCP frontend. */
export function proxyHaproxy(dir, httpPort, tcpPort, backendPort, threads = 1) {
  return `
global
  nbthread ${threads}
  maxconn 8000
  pidfile ${path.join(dir, "haproxy.pid")}
defaults
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 60s
frontend http_in
  mode http
  bind 127.0.0.1:${httpPort}
  option forwardfor
  http-request set-header X-Forwarded-Proto http
  default_backend http_out
backend http_out
  mode http
  http-reuse always
  server b1 127.0.0.1:${backendPort}
frontend tcp_in
  mode tcp
  bind 127.0.0.1:${tcpPort}
  default_backend tcp_out
backend tcp_out
  mode tcp
  server b1 127.0.0.1:${backendPort}
`;
}

/** The X-Forwarded-* fields nginx's proxy location sends (For, Proto, Port): the engine's plain HTTP listener sends the same. */
const NGINX_LIKE_CLIENT_IP = {
  proxyProtocolAccept: false,
  trustedIps: [],
  xForwardedFor: "APPEND",
  xForwardedForTrustedOnly: false,
  xForwardedProto: true,
  xForwardedPort: true,
  xForwardedHost: false,
  xRealIp: false,
  realIpHeader: "NONE",
  realIpRecursive: false,
};

/**
 * The engine's standalone snapshot: one HTTP and one TCP listener in front of the backend; with
 * `clientIp` ports also the "client IP" pair: an HTTP listener sending every X-Forwarded-* field and
 * X-Real-IP, and a TCP listener whose group sends PROXY v2 to the backend's proxy_protocol port.
 */
export function engineSnapshot(httpPort, tcpPort, backendPort, clientIp = null, loggedPort = 0) {
  const member = (port) => ({ id: `m-${port}`, name: "backend", address: "127.0.0.1", port, weight: 1 });
  const pool = (id, protocol, port = backendPort, extra = {}) => ({
    id,
    name: id,
    loadBalancerId: "lb-bench",
    protocol,
    algorithm: "ROUND_ROBIN",
    stickySession: null,
    members: [member(port)],
    healthMonitor: null,
    ...extra,
  });
  const listener = (id, protocol, port, poolId, idle, extra = {}) => ({
    id,
    name: id,
    loadBalancerId: "lb-bench",
    protocol,
    port,
    bindAddresses: ["127.0.0.1"],
    defaultPoolId: poolId,
    idleTimeoutSeconds: idle,
    ...extra,
  });
  const listeners = [listener("l-http", "HTTP", httpPort, "p-http", 60, { clientIp: NGINX_LIKE_CLIENT_IP }), listener("l-tcp", "TCP", tcpPort, "p-tcp", 300)];
  const pools = [pool("p-http", "HTTP"), pool("p-tcp", "TCP")];
  if (clientIp) {
    const everyField = { ...NGINX_LIKE_CLIENT_IP, xForwardedHost: true, xRealIp: true };
    listeners.push(listener("l-http-cip", "HTTP", clientIp.httpPort, "p-http-cip", 60, { clientIp: everyField }));
    listeners.push(listener("l-tcp-cip", "TCP", clientIp.tcpPort, "p-tcp-cip", 300));
    pools.push(pool("p-http-cip", "HTTP"), pool("p-tcp-cip", "TCP", clientIp.backendProxyPort, { transferClientIp: "PROXY_V2" }));
  }
  if (loggedPort) {
    // The plain HTTP listener again, writing every request's table 7-1 record (files under the state dir).
    const accessLog = { streamId: "stream-bench", groupId: "group-bench", tenantId: "tenant-bench", eipAddress: null, retentionDays: 1, maxBytes: 1 << 30, syslog: null };
    listeners.push(listener("l-http-log", "HTTP", loggedPort, "p-http-log", 60, { clientIp: NGINX_LIKE_CLIENT_IP, accessLog }));
    pools.push(pool("p-http-log", "HTTP"));
  }
  return { epoch: "bench", version: 1, hash: "bench", createdAt: new Date().toISOString(), listeners, pools };
}
