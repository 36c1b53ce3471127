// The TLS cases of the benchmark (not a test): HTTPS keep-alive requests/s (wrk over TLS), new TLS
// connections/s (full handshakes: `Connection: close`, wrk never resumes a session) and HTTP/2
// requests/s (h2load -c32 -m10), engine vs nginx vs haproxy terminating TLS with the same ECDSA P-256
// certificate and proxying to the same backend over keep-alive HTTP/1.1. Same layout as run.mjs:
// proxies on one core, the load (wrk/h2load) and the backend on the other.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { tsImport } from "tsx/esm/api";
import { NGINX_PROXY_LOCATION, nginxHttpPaths, nginxMain } from "./configs.mjs";
import { freePort, startPinned, stop, waitForPort } from "./processes.mjs";
import { runPinnedTool } from "./wrk.mjs";

/** A self-signed ECDSA P-256 certificate for bench.test, written into `dir`. */
function makeCertificate(dir) {
  const key = path.join(dir, "bench.key");
  const cert = path.join(dir, "bench.crt");
  const r = spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=bench.test", "-addext", "subjectAltName=DNS:bench.test"],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
  const combined = path.join(dir, "bench.pem");
  writeFileSync(combined, readFileSync(cert, "utf8") + readFileSync(key, "utf8"));
  return { key, cert, combined, certPem: readFileSync(cert, "utf8"), keyPem: readFileSync(key, "utf8") };
}

/** nginx terminating TLS (HTTP/1.1 and h2 on one port), upstream keep-alive as in run.mjs. */
function nginxTls(dir, port, backendPort, cert) {
  return `${nginxMain(dir)}
http {
${nginxHttpPaths(dir)}
  http2_max_requests 1000000;
  upstream backend {
    server 127.0.0.1:${backendPort};
    keepalive 256;
  }
  server {
    listen 127.0.0.1:${port} ssl http2 backlog=4096;
    ssl_certificate ${cert.cert};
    ssl_certificate_key ${cert.key};
    ssl_protocols TLSv1.2 TLSv1.3;
    ${NGINX_PROXY_LOCATION}
  }
}
`;
}

/** haproxy terminating TLS with ALPN h2,http/1.1, connection reuse to the backend. */
function haproxyTls(dir, port, backendPort, cert) {
  return `
global
  nbthread 1
  maxconn 8000
  pidfile ${path.join(dir, "haproxy.pid")}
  ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 60s
frontend https_in
  mode http
  bind 127.0.0.1:${port} ssl crt ${cert.combined} alpn h2,http/1.1
  option forwardfor
  http-request set-header X-Forwarded-Proto https
  default_backend http_out
backend http_out
  mode http
  http-reuse always
  server b1 127.0.0.1:${backendPort}
`;
}

/** The engine's standalone snapshot: one HTTPS listener (HTTP/2 on) with the certificate, key sealed. */
async function engineTlsSnapshot(port, backendPort, cert, secretKey) {
  const { sealSecret } = await tsImport("../../engine/protocol/sealed-secret.ts", import.meta.url);
  const member = { id: "m1", name: "backend", address: "127.0.0.1", port: backendPort, weight: 1 };
  return {
    epoch: "bench-tls",
    version: 1,
    hash: "bench-tls",
    createdAt: new Date().toISOString(),
    listeners: [
      {
        id: "l-https",
        name: "l-https",
        loadBalancerId: "lb-bench",
        protocol: "HTTPS",
        port,
        bindAddresses: ["127.0.0.1"],
        defaultPoolId: "p-http",
        idleTimeoutSeconds: 60,
        tls: { certificateId: "c-bench", sniCertificateIds: [], caCertificateId: null, http2: true },
      },
    ],
    pools: [{ id: "p-http", name: "p-http", loadBalancerId: "lb-bench", protocol: "HTTP", algorithm: "ROUND_ROBIN", stickySession: null, members: [member], healthMonitor: null }],
    certificates: [{ id: "c-bench", type: "SERVER", certificatePem: cert.certPem, privateKeySealed: sealSecret(cert.keyPem, secretKey), domainName: null }],
  };
}

/**
 * Starts the TLS-terminating proxies on `cpu` (engine, nginx, haproxy, as `only` allows), and
 * "node-h2-alone" (node-h2-alone.mjs: node:http2 answering by itself, measured in the h2 case only —
 * its `only` lists the cases it takes part in).
 */
export async function startTlsProxies(dir, backendPort, { cpu, only, engineBundle }) {
  const tlsDir = path.join(dir, "tls");
  mkdirSync(tlsDir, { recursive: true });
  const cert = makeCertificate(tlsDir);
  const proxies = [];
  if (only.includes("engine")) {
    const port = await freePort();
    const secretKey = Buffer.alloc(32, 7);
    const file = path.join(tlsDir, "engine-tls.json");
    writeFileSync(file, JSON.stringify(await engineTlsSnapshot(port, backendPort, cert, secretKey)));
    const child = startPinned("engine-tls", cpu, process.execPath, [engineBundle], {
      ELB_ENGINE_SNAPSHOT_FILE: file,
      ELB_ENGINE_DRAIN_MS: "200",
      ELB_ENGINE_WORKERS: "1",
      ELB_SECRET_KEY: secretKey.toString("hex"),
    });
    proxies.push({ name: "engine", child, port });
  }
  if (only.includes("nginx")) {
    const port = await freePort();
    const d = path.join(tlsDir, "nginx");
    mkdirSync(d);
    writeFileSync(path.join(d, "nginx.conf"), nginxTls(d, port, backendPort, cert));
    const child = startPinned("nginx-tls", cpu, "nginx", ["-p", d, "-c", path.join(d, "nginx.conf"), "-e", path.join(d, "error.log"), "-g", "daemon off;"]);
    proxies.push({ name: "nginx", child, port });
  }
  if (only.includes("haproxy")) {
    const port = await freePort();
    const d = path.join(tlsDir, "haproxy");
    mkdirSync(d);
    writeFileSync(path.join(d, "haproxy.cfg"), haproxyTls(d, port, backendPort, cert));
    const child = startPinned("haproxy-tls", cpu, "haproxy", ["-db", "-f", path.join(d, "haproxy.cfg")]);
    proxies.push({ name: "haproxy", child, port });
  }
  if (only.includes("node-h2-alone")) {
    const port = await freePort();
    const child = startPinned("node-h2-alone", cpu, process.execPath, [path.join(import.meta.dirname, "node-h2-alone.mjs"), String(port), cert.cert, cert.key]);
    proxies.push({ name: "node-h2-alone", child, port, only: ["h2"] });
  }
  for (const p of proxies) await waitForPort(p.port);
  return proxies;
}

/**
 * One h2load run (`clients` connections, `streams` concurrent streams each, for `seconds`, one
 * thread on core `cpu`): requests/s from its "finished in" line, and the failed/errored counts.
 */
export async function runH2load(url, { seconds, clients = 32, streams = 10, cpu }) {
  const out = await runPinnedTool(cpu, "h2load", [`-c${clients}`, `-m${streams}`, "-t1", `-D${seconds}`, url]);
  const rps = Number(/finished in [\d.]+\w*, ([\d.]+) req\/s/.exec(out)?.[1] ?? NaN);
  const failed = Number(/(\d+) failed/.exec(out)?.[1] ?? 0);
  const errored = Number(/(\d+) errored/.exec(out)?.[1] ?? 0);
  const protocol = /Application protocol: (\S+)/.exec(out)?.[1] ?? "?";
  return { rps, failed, errored, protocol, avg: NaN, p50: NaN, p99: NaN, errors: failed + errored ? `failed ${failed} errored ${errored}` : "", non2xx: 0, raw: out };
}

/** Stops the TLS proxies. */
export async function stopTlsProxies(proxies) {
  await Promise.all(proxies.map((p) => stop(p.child)));
}
