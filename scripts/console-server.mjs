// The console's HTTP server: Next.js behind a plain node:http server, so the client address recorded in
// audit traces comes from the socket. A client's own X-Forwarded-For is discarded unless the connection
// comes from a proxy listed in ELB_TRUSTED_PROXIES (comma-separated IPs), whose chain is kept and extended;
// X-Forwarded-Proto likewise.
import http from "node:http";
import next from "next";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME_BIND ?? "0.0.0.0";
const trusted = new Set((process.env.ELB_TRUSTED_PROXIES ?? "").split(",").map((s) => s.trim()).filter(Boolean));

/** The peer address without the IPv4-mapped IPv6 prefix. */
const peerOf = (req) => (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");

const app = next({ dev: false, dir: process.cwd(), hostname: "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  const peer = peerOf(req);
  const claimed = req.headers["x-forwarded-for"];
  const fromTrustedProxy = trusted.has(peer);
  req.headers["x-forwarded-for"] = fromTrustedProxy && claimed ? `${claimed}, ${peer}` : peer;
  // The session cookie is Secure only when the browser really talks HTTPS (here, or at a trusted proxy).
  if (!fromTrustedProxy || !req.headers["x-forwarded-proto"]) req.headers["x-forwarded-proto"] = req.socket.encrypted ? "https" : "http";
  // The CSRF check (proxy.ts) compares Origin with X-Forwarded-Host: believed only from a trusted proxy.
  if (!fromTrustedProxy) delete req.headers["x-forwarded-host"];
  delete req.headers["x-real-ip"];
  handle(req, res);
});
server.listen(port, hostname, () => console.log(`[elb] console listening on http://localhost:${port}`));
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => server.close(() => process.exit(0)));
