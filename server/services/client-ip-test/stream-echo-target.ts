import "server-only";
import net from "node:net";
import { PROXY_V2_MAX_LENGTH } from "@/engine/protocol/proxy-protocol/proxy-header.types";
import type { BackendView } from "./client-ip-test.types";
import type { EchoTarget } from "./echo-target.types";
import { firstValue } from "./first-value";
import { parseRequestHead, payloadText, splitProxyHeader, type SplitBytes } from "./received-bytes";
import { TEST_ENGINE_ADDRESS } from "./test-addresses";

/** The most bytes a connection's record reads: the longest PROXY header and a 16 KiB request head or line. */
const MAX_RECORDED_BYTES = PROXY_V2_MAX_LENGTH + 16 * 1024;
/** What a TCP connection gets back: one line. */
const LINE_REPLY = "client-ip-test echo target: received\n";
/** What an HTTP request gets back. */
const HTTP_BODY = "client-ip-test echo target: received\n";
const HTTP_REPLY = `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${HTTP_BODY.length}\r\nConnection: close\r\n\r\n${HTTP_BODY}`;

/**
 * A TCP echo target (kind "TCP": the client's first line; "HTTP": one HTTP/1.1 request head) on
 * 127.0.0.1. Each connection is read until its PROXY header (if any) and its line or head are complete,
 * the socket ends, or MAX_RECORDED_BYTES; the first such connection is the record.
 */
export async function startStreamEchoTarget(kind: "TCP" | "HTTP"): Promise<EchoTarget> {
  const first = firstValue<BackendView>();
  let received: BackendView | null = null;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    const source = { address: socket.remoteAddress ?? "", port: socket.remotePort ?? 0 };
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const inspect = (final: boolean) => {
      if (done) return;
      const bytes = Buffer.concat(chunks, size);
      const split = splitProxyHeader(bytes, final || size >= MAX_RECORDED_BYTES);
      if (split === null) return;
      const view = viewOf(kind, source, split, final || size >= MAX_RECORDED_BYTES);
      if (view === null) return;
      done = true;
      if (first.settle(view)) received = view;
      socket.end(kind === "HTTP" ? HTTP_REPLY : LINE_REPLY);
    };
    socket.on("data", (chunk: Buffer) => {
      if (done) return;
      chunks.push(chunk);
      size += chunk.length;
      inspect(false);
    });
    socket.on("end", () => {
      inspect(true);
      socket.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, TEST_ENGINE_ADDRESS, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    endpoint: { address: TEST_ENGINE_ADDRESS, port },
    get received() {
      return received;
    },
    whenReceived: first.promise,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The record of one connection once its line (TCP) or request head (HTTP) is in, or null to read more. */
function viewOf(kind: "TCP" | "HTTP", source: BackendView["source"], split: SplitBytes, final: boolean): BackendView | null {
  const base = { source, proxyHeader: split.proxyHeader, proxyHeaderProblem: split.proxyHeaderProblem };
  if (kind === "HTTP") {
    const head = parseRequestHead(split.rest);
    if (head === null && !final) return null;
    return { ...base, requestLine: head?.requestLine ?? null, headers: head?.headers ?? [], payload: head ? null : payloadText(split.rest) };
  }
  if (!final && split.rest.indexOf(0x0a) < 0) return null;
  return { ...base, requestLine: null, headers: [], payload: payloadText(split.rest) };
}
