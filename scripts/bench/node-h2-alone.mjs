// The ceiling of node:http2 on this box (benchmark only): an HTTP/2 server on TLS that answers every
// stream by itself with 200 "ok" (the stream API, no compat layer, no proxying), so the bench can say how
// much of the engine's HTTP/2 cost is node:http2's own. argv: port cert.pem key.pem.
import http2 from "node:http2";
import { readFileSync } from "node:fs";

const [port, cert, key] = process.argv.slice(2);
const server = http2.createSecureServer({ cert: readFileSync(cert), key: readFileSync(key), settings: { maxConcurrentStreams: 128 } });
const headers = { ":status": 200, "content-type": "text/plain", "content-length": "2" };
server.on("stream", (stream) => {
  stream.respond(headers);
  stream.end("ok");
});
server.on("sessionError", () => {});
server.listen(Number(port), "127.0.0.1");
process.on("SIGTERM", () => process.exit(0));
