import { describe, expect, it } from "vitest";
import type { HttpBackend } from "../test-support/http-fixture";
import { useH2Suite } from "./test-support/h2-suite";
import { FLAG, FRAME, frame, headerBlock, rawH2, type RawFrame } from "./test-support/raw-h2";

/**
 * HTTP/2 → HTTP/1.1 downgrade attacks: what a client sends on an h2 stream must never become a second
 * request (or an extra field) on the backend connection. Each test sends hand-made frames and checks
 * what reached a real backend.
 */

const suite = useH2Suite();

async function setup(): Promise<{ backend: HttpBackend; port: number }> {
  const backend = await suite.backend("a", (req, res) => {
    req.resume();
    req.on("end", () => res.end("a"));
  });
  const proxy = await suite.proxyTo(backend);
  return { backend, port: proxy.port };
}

const request = (path: string, extra: [string, string][] = [], method = "GET"): [string, string][] => [
  [":method", method],
  [":scheme", "https"],
  [":authority", "localhost"],
  [":path", path],
  ...extra,
];

const headers = (streamId: number, fields: [string, string][], endStream = true) =>
  frame(FRAME.HEADERS, FLAG.END_HEADERS | (endStream ? FLAG.END_STREAM : 0), streamId, headerBlock(fields));

/** The stream got a response header block (not a reset). */
const answered = (frames: RawFrame[], streamId: number) => frames.some((f) => f.type === FRAME.HEADERS && f.streamId === streamId);
/** The stream (or the whole session) was refused. */
const refused = (frames: RawFrame[], streamId: number) =>
  frames.some((f) => (f.type === FRAME.RST_STREAM && f.streamId === streamId) || f.type === FRAME.GOAWAY);

describe("HTTP/2 streams cannot smuggle requests to HTTP/1.1 backends", () => {
  it("CR/LF in a field value never reaches the backend (nghttp2 drops the field or refuses the stream); a following stream is served", async () => {
    const { backend, port } = await setup();
    const frames = await rawH2(
      port,
      Buffer.concat([headers(1, request("/evil", [["x-evil", "a\r\nx-injected: 1"]])), headers(3, request("/ok"))]),
    );
    expect(answered(frames, 3)).toBe(true);
    expect(backend.seen.map((s) => s.url)).toContain("/ok");
    for (const seen of backend.seen) {
      expect(seen.headers["x-injected"]).toBeUndefined();
      expect(seen.headers["x-evil"]).toBeUndefined();
    }
  });

  it("a body longer than its content-length never becomes a second backend request", async () => {
    const { backend, port } = await setup();
    const smuggled = "hello" + "GET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n";
    const frames = await rawH2(
      port,
      Buffer.concat([
        headers(1, request("/upload", [["content-length", "5"]], "POST"), false),
        frame(FRAME.DATA, FLAG.END_STREAM, 1, Buffer.from(smuggled, "latin1")),
      ]),
    );
    expect(refused(frames, 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(backend.seen.map((s) => s.url)).not.toContain("/smuggled");
  });

  it("connection-specific fields (transfer-encoding, connection) are refused; te and underscores never reach the backend", async () => {
    const { backend, port } = await setup();
    const frames = await rawH2(
      port,
      Buffer.concat([
        headers(1, request("/te", [["transfer-encoding", "chunked"]])),
        headers(3, request("/conn", [["connection", "close"]])),
        headers(5, request("/fine", [["te", "trailers"], ["x_under", "1"], ["x-forwarded-host", "spoofed"]])),
      ]),
    );
    expect(answered(frames, 5)).toBe(true);
    expect(backend.seen.map((s) => s.url)).toEqual(["/fine"]);
    const seen = backend.seen[0]!;
    expect(seen.headers.te).toBeUndefined();
    expect(seen.headers.x_under).toBeUndefined();
    expect(seen.headers["x-forwarded-host"]).toBeUndefined(); // the client's is dropped; ours is off by default
  });
});
