import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createServerCertificate, type TestServerCertificate } from "../test-support/h2-fixture";
import { FLAG, FRAME, frame, goawayCode, headerBlock, rawH2, rawSession, resetCode, u32, type RawFrame } from "../test-support/raw-h2";
import {
  COMPRESSION_ERROR,
  ENHANCE_YOUR_CALM,
  INTERNAL_ERROR,
  FLOW_CONTROL_ERROR,
  FRAME_SIZE_ERROR,
  PROTOCOL_ERROR,
  REFUSED_STREAM,
  STREAM_CLOSED,
} from "./frames";
import { collectingUncaught } from "./test-support/conformance-client";
import { startWireServer, type TestExchange, type WireServer } from "./test-support/wire-server";

/**
 * The wire layer against hand-made frames (test-support/raw-h2.ts): what a client library would never
 * send. Each case checks the server's answer (GOAWAY or RST_STREAM and its code) and what the stream's
 * owner saw. The server answers "ok" at the request's end, except on paths starting with /hold
 * (/hold-paused also pauses the stream).
 */

let certificate: TestServerCertificate;
let s: WireServer;
beforeAll(async () => {
  certificate = await createServerCertificate();
});
afterAll(() => certificate.cleanup());
afterEach(() => s?.close());

async function start(): Promise<WireServer> {
  s = await startWireServer(certificate.server, (x: TestExchange) => {
    if (x.field(":path") === "/throw") throw new Error("an owner's bug");
    if (x.field(":path") === "/hold-paused") x.stream.pause(); // grants no window back
    if (x.field(":path").startsWith("/hold")) return;
    if (x.stream.endAfterHeaders) x.answer("ok");
    else x.onEnd = () => x.answer("ok");
  });
  return s;
}

const req = (path = "/", extra: [string, string][] = [], method = "GET"): [string, string][] => [
  [":method", method],
  [":scheme", "https"],
  [":authority", "localhost"],
  [":path", path],
  ...extra,
];

const HEADERS_END = FLAG.END_HEADERS | FLAG.END_STREAM;
const headers = (id: number, fields: [string, string][], flags: number = HEADERS_END) => frame(FRAME.HEADERS, flags, id, headerBlock(fields));
const data = (id: number, payload: Buffer, flags = 0) => frame(FRAME.DATA, flags, id, payload);
const answered = (frames: RawFrame[], id: number) => frames.some((f) => f.type === FRAME.HEADERS && f.streamId === id);

async function send(...frames: Buffer[]): Promise<RawFrame[]> {
  return rawH2(s.port, Buffer.concat(frames), 600);
}

describe("H2Connection: connection errors (GOAWAY)", () => {
  it("a wrong client preface gets GOAWAY PROTOCOL_ERROR (after our SETTINGS)", async () => {
    await start();
    const frames = await rawH2(s.port, Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 600, false);
    expect(frames[0]!.type).toBe(FRAME.SETTINGS);
    expect(goawayCode(frames)).toBe(PROTOCOL_ERROR);
  });

  it("a first frame other than SETTINGS gets GOAWAY PROTOCOL_ERROR", async () => {
    await start();
    const magic = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
    const frames = await rawH2(s.port, Buffer.concat([magic, frame(FRAME.PING, 0, 0, Buffer.alloc(8))]), 600, false);
    expect(goawayCode(frames)).toBe(PROTOCOL_ERROR);
  });

  it("answers our preface: SETTINGS (128 streams, no push, 32 KiB header list), connection WINDOW_UPDATE, SETTINGS ACK, PING ACK", async () => {
    await start();
    const frames = await send(frame(FRAME.PING, 0, 0, Buffer.from("abcdefgh")));
    const settings = frames.find((f) => f.type === FRAME.SETTINGS && f.flags === 0)!;
    const values = new Map<number, number>();
    for (let i = 0; i < settings.payload.length; i += 6) values.set(settings.payload.readUInt16BE(i), settings.payload.readUInt32BE(i + 2));
    expect(Object.fromEntries(values)).toEqual({ 3: 128, 2: 0, 6: 32 * 1024 });
    expect(frames.some((f) => f.type === FRAME.WINDOW_UPDATE && f.streamId === 0)).toBe(true);
    expect(frames.some((f) => f.type === FRAME.SETTINGS && f.flags === FLAG.ACK)).toBe(true);
    const pong = frames.find((f) => f.type === FRAME.PING)!;
    expect([pong.flags, pong.payload.toString()]).toEqual([FLAG.ACK, "abcdefgh"]);
    expect(goawayCode(frames)).toBeNull();
  });

  it("a frame over 16 384 bytes gets GOAWAY FRAME_SIZE_ERROR", async () => {
    await start();
    const frames = await send(frame(FRAME.HEADERS, FLAG.END_HEADERS, 1, Buffer.alloc(16_385)));
    expect(goawayCode(frames)).toBe(FRAME_SIZE_ERROR);
  });

  it("an even stream id, or one lower than the last, gets GOAWAY PROTOCOL_ERROR (naming the last stream served)", async () => {
    await start();
    expect(goawayCode(await send(headers(2, req())))).toBe(PROTOCOL_ERROR);
    const frames = await send(headers(5, req()), headers(3, req()));
    expect(answered(frames, 5)).toBe(true);
    expect(goawayCode(frames)).toBe(PROTOCOL_ERROR);
    expect(frames.find((f) => f.type === FRAME.GOAWAY)!.payload.readUInt32BE(0)).toBe(5);
  });

  it("CONTINUATION flood: a header block past 2 × 32 KiB + 16 KiB, or of too many frames, gets GOAWAY ENHANCE_YOUR_CALM", async () => {
    await start();
    const big = [frame(FRAME.HEADERS, 0, 1, Buffer.alloc(16_000, 0x40))];
    for (let i = 0; i < 6; i++) big.push(frame(FRAME.CONTINUATION, 0, 1, Buffer.alloc(16_000, 0x40)));
    expect(goawayCode(await send(...big))).toBe(ENHANCE_YOUR_CALM);
    const empty = [frame(FRAME.HEADERS, 0, 1, headerBlock(req()))];
    for (let i = 0; i < 300; i++) empty.push(frame(FRAME.CONTINUATION, 0, 1));
    expect(goawayCode(await send(...empty))).toBe(ENHANCE_YOUR_CALM);
  });

  it("a header block split over CONTINUATION is one request; any other frame inside it gets GOAWAY PROTOCOL_ERROR", async () => {
    await start();
    const block = headerBlock(req("/split"));
    const split = await send(frame(FRAME.HEADERS, FLAG.END_STREAM, 1, block.subarray(0, 10)), frame(FRAME.CONTINUATION, FLAG.END_HEADERS, 1, block.subarray(10)));
    expect(answered(split, 1)).toBe(true);
    expect(s.exchanges[0]!.field(":path")).toBe("/split");
    const broken = await send(frame(FRAME.HEADERS, FLAG.END_STREAM, 1, block.subarray(0, 10)), frame(FRAME.PING, 0, 0, Buffer.alloc(8)));
    expect(goawayCode(broken)).toBe(PROTOCOL_ERROR);
  });

  it("rapid reset: 1 100 streams opened and reset at once get GOAWAY ENHANCE_YOUR_CALM; 500 do not", async () => {
    await start();
    const burst = (n: number) => {
      const frames: Buffer[] = [];
      for (let i = 0; i < n; i++) frames.push(headers(2 * i + 1, req("/hold")), frame(FRAME.RST_STREAM, 0, 2 * i + 1, u32(8)));
      return send(...frames);
    };
    expect(goawayCode(await burst(1100))).toBe(ENHANCE_YOUR_CALM);
    expect(goawayCode(await burst(500))).toBeNull();
  });

  it("made you reset: 1 100 streams the server must reset (WINDOW_UPDATE 0 on each) get GOAWAY ENHANCE_YOUR_CALM", async () => {
    await start();
    const frames: Buffer[] = [];
    for (let i = 0; i < 1100; i++) frames.push(headers(2 * i + 1, req("/hold")), frame(FRAME.WINDOW_UPDATE, 0, 2 * i + 1, u32(0)));
    const got = await send(...frames);
    expect(resetCode(got, 1)).toBe(PROTOCOL_ERROR);
    expect(goawayCode(got)).toBe(ENHANCE_YOUR_CALM);
  });

  it("a client that sends requests but never reads is cut off once 1 MiB of answers waits for it", async () => {
    let inRespond = false;
    let closedInside = 0;
    s = await startWireServer(certificate.server, (x) => {
      x.onClose = () => void (inRespond && closedInside++);
      inRespond = true;
      x.stream.respond({ ":status": 204, "x-pad": "p".repeat(400) }, true);
      inRespond = false;
    });
    const c = await rawSession(s.port);
    c.socket.pause(); // reads nothing
    let id = 1;
    for (let round = 0; round < 400 && !c.closed; round++) {
      const batch: Buffer[] = [];
      for (let i = 0; i < 100; i++, id += 2) batch.push(headers(id, req("/")));
      c.send(Buffer.concat(batch));
      await c.wait(5);
    }
    await c.wait(200);
    expect(c.closed).toBe(true);
    expect(s.closedConnections).toBe(1);
    expect(closedInside).toBe(0); // cut off at the flush, never inside an owner's own respond()
    c.destroy();
  }, 30_000);

  it("a WINDOW_UPDATE overflowing the connection window gets GOAWAY FLOW_CONTROL_ERROR; an increment of 0, PROTOCOL_ERROR", async () => {
    await start();
    expect(goawayCode(await send(frame(FRAME.WINDOW_UPDATE, 0, 0, u32(0x7fffffff))))).toBe(FLOW_CONTROL_ERROR);
    expect(goawayCode(await send(frame(FRAME.WINDOW_UPDATE, 0, 0, u32(0))))).toBe(PROTOCOL_ERROR);
  });

  it("SETTINGS out of range: MAX_FRAME_SIZE below 16 384 → PROTOCOL_ERROR, INITIAL_WINDOW_SIZE past 2^31-1 → FLOW_CONTROL_ERROR", async () => {
    await start();
    const setting = (id: number, value: number) => {
      const p = Buffer.alloc(6);
      p.writeUInt16BE(id);
      p.writeUInt32BE(value, 2);
      return frame(FRAME.SETTINGS, 0, 0, p);
    };
    expect(goawayCode(await send(setting(5, 100)))).toBe(PROTOCOL_ERROR);
    expect(goawayCode(await send(setting(4, 0x80000000)))).toBe(FLOW_CONTROL_ERROR);
    expect(goawayCode(await send(setting(5, 32_768), setting(4, 1000)))).toBeNull();
  });

  it("PUSH_PROMISE from a client and a bad HPACK block are connection errors; unknown frame types and PRIORITY are ignored", async () => {
    await start();
    expect(goawayCode(await send(frame(FRAME.PUSH_PROMISE, FLAG.END_HEADERS, 1, Buffer.alloc(4))))).toBe(PROTOCOL_ERROR);
    expect(goawayCode(await send(frame(FRAME.HEADERS, HEADERS_END, 1, Buffer.from([0x80]))))).toBe(COMPRESSION_ERROR);
    const fine = await send(frame(0x42, 0, 0, Buffer.alloc(3)), frame(FRAME.PRIORITY, 0, 1, Buffer.alloc(5)), headers(1, req()));
    expect(goawayCode(fine)).toBeNull();
    expect(answered(fine, 1)).toBe(true);
    expect(goawayCode(await send(frame(FRAME.PRIORITY, 0, 1, Buffer.alloc(4))))).toBe(FRAME_SIZE_ERROR);
  });

  it("DATA on an idle stream gets GOAWAY PROTOCOL_ERROR; on a stream closed at both ends, GOAWAY STREAM_CLOSED", async () => {
    await start();
    expect(goawayCode(await send(headers(1, req("/hold")), data(3, Buffer.from("x"))))).toBe(PROTOCOL_ERROR);
    const closed = await send(headers(1, req("/")), data(1, Buffer.from("x")));
    expect(answered(closed, 1)).toBe(true);
    expect(goawayCode(closed)).toBe(STREAM_CLOSED);
  });
});

describe("H2Connection: stream errors (RST_STREAM), the connection goes on", () => {
  it("an owner that throws in onStream gets its stream reset (INTERNAL_ERROR), the error is reported; the connection and the next stream go on", async () => {
    await start();
    await collectingUncaught(async (caught) => {
      const got = await send(headers(1, req("/throw")), headers(3, req("/next")));
      expect(resetCode(got, 1)).toBe(INTERNAL_ERROR);
      expect(answered(got, 3)).toBe(true);
      expect(goawayCode(got)).toBeNull();
      expect(caught.map(String)).toEqual(["Error: an owner's bug"]);
    });
  });

  it("after our graceful GOAWAY a new stream and its DATA are ignored; the open stream finishes", async () => {
    await start();
    const c = await rawSession(s.port);
    c.send(headers(1, req("/up", [], "POST"), FLAG.END_HEADERS));
    await c.wait(100);
    s.connections[0]!.close();
    await c.wait(50);
    c.send(Buffer.concat([headers(3, req("/late", [], "POST"), FLAG.END_HEADERS), data(3, Buffer.from("x")), data(1, Buffer.from("end"), FLAG.END_STREAM)]));
    await c.wait(300);
    const got = c.frames();
    c.destroy();
    expect(got.filter((f) => f.type === FRAME.GOAWAY).map((f) => [f.payload.readUInt32BE(0), f.payload.readUInt32BE(4)])).toEqual([[1, 0]]);
    expect(s.exchanges.map((x) => x.field(":path"))).toEqual(["/up"]);
    expect(answered(got, 1)).toBe(true);
    expect(answered(got, 3)).toBe(false);
  });

  it("a stream past 128 open ones is refused (REFUSED_STREAM); the first 128 are not", async () => {
    await start();
    const frames: Buffer[] = [];
    for (let i = 0; i < 129; i++) frames.push(headers(2 * i + 1, req("/hold")));
    const got = await send(...frames);
    expect(resetCode(got, 257)).toBe(REFUSED_STREAM);
    expect(got.filter((f) => f.type === FRAME.RST_STREAM)).toHaveLength(1);
    expect(s.exchanges).toHaveLength(128);
    expect(goawayCode(got)).toBeNull();
  });

  it("DATA beyond the stream's 65 535-byte window gets RST_STREAM FLOW_CONTROL_ERROR; the owner saw no more than the window", async () => {
    await start();
    const frames = [headers(1, req("/hold-paused", [], "POST"), FLAG.END_HEADERS)];
    for (let i = 0; i < 5; i++) frames.push(data(1, Buffer.alloc(16_384, 0x61)));
    frames.push(headers(3, req("/after")));
    const got = await send(...frames);
    expect(resetCode(got, 1)).toBe(FLOW_CONTROL_ERROR);
    expect(s.exchanges[0]!.bytes).toBeLessThanOrEqual(65_535);
    expect(answered(got, 3)).toBe(true);
    expect(goawayCode(got)).toBeNull();
  });

  it("a WINDOW_UPDATE overflowing a stream's window gets RST_STREAM FLOW_CONTROL_ERROR", async () => {
    await start();
    const got = await send(headers(1, req("/hold")), frame(FRAME.WINDOW_UPDATE, 0, 1, u32(0x7fffffff)));
    expect(resetCode(got, 1)).toBe(FLOW_CONTROL_ERROR);
    expect(s.exchanges[0]!.closed).toBe(true);
  });

  it("content-length: more DATA than announced is refused before the excess reaches the owner; less at END_STREAM too", async () => {
    await start();
    const post = (id: number, length: string) => headers(id, req("/up", [["content-length", length]], "POST"), FLAG.END_HEADERS);
    const more = await send(post(1, "5"), data(1, Buffer.from("hello"), 0), data(1, Buffer.from("GET /smuggled"), FLAG.END_STREAM));
    expect(resetCode(more, 1)).toBe(PROTOCOL_ERROR);
    expect(s.exchanges[0]!.body.toString()).toBe("hello");
    expect(s.exchanges[0]!.ended).toBe(false);
    const less = await send(post(1, "10"), data(1, Buffer.from("short"), FLAG.END_STREAM));
    expect(resetCode(less, 1)).toBe(PROTOCOL_ERROR);
    expect(s.exchanges[1]!.ended).toBe(false);
    const exact = await send(post(1, "5"), data(1, Buffer.from("hello"), FLAG.END_STREAM));
    expect(answered(exact, 1)).toBe(true);
    expect(resetCode(exact, 1)).toBeNull();
    expect(resetCode(await send(headers(1, req("/", [["content-length", "5x"]]))), 1)).toBe(PROTOCOL_ERROR);
    expect(resetCode(await send(headers(1, req("/", [["content-length", "5"]]))), 1)).toBe(PROTOCOL_ERROR); // END_STREAM with the HEADERS
  });

  it.each([
    ["an uppercase name", req("/", [["X-Upper", "1"]])],
    ["a name with a space", req("/", [["x bad", "1"]])],
    ["a pseudo-header after a regular field", [[":method", "GET"], [":scheme", "https"], ["x-a", "1"], [":path", "/"]]],
    ["an unknown pseudo-header", req("/", [[":foo", "1"]])],
    ["a response pseudo-header", [[":status", "200"], ...req("/")]],
    ["a repeated pseudo-header", [...req("/"), [":path", "/2"]]],
    ["no :path", [[":method", "GET"], [":scheme", "https"], [":authority", "x"]]],
    ["an empty :path", req("")],
    ["a :method that is no token", req("/", [], "GET /x HTTP/1.1")],
    ["CONNECT with :path", [[":method", "CONNECT"], [":authority", "x:443"], [":path", "/"]]],
    ["transfer-encoding", req("/", [["transfer-encoding", "chunked"]])],
    ["connection", req("/", [["connection", "close"]])],
    ["keep-alive", req("/", [["keep-alive", "5"]])],
    ["proxy-connection", req("/", [["proxy-connection", "x"]])],
    ["upgrade", req("/", [["upgrade", "websocket"]])],
    ["te other than trailers", req("/", [["te", "gzip"]])],
  ] as [string, [string, string][]][])("%s: RST_STREAM PROTOCOL_ERROR, no owner, the next stream is served", async (_name, fields) => {
    await start();
    const got = await send(headers(1, fields), data(1, Buffer.from("in flight")), headers(3, req("/next")));
    expect(resetCode(got, 1)).toBe(PROTOCOL_ERROR);
    expect(s.exchanges.map((x) => x.field(":path"))).toEqual(["/next"]);
    expect(answered(got, 3)).toBe(true);
    expect(goawayCode(got)).toBeNull(); // the DATA in flight on the refused stream is ignored
  });

  it.each([
    [":authority", "user@good.test"],
    [":authority", "evil.test/#x"],
    [":authority", 'a"<>\\b'],
  ])("%s %j (not an authority) is refused with PROTOCOL_ERROR; a host field like it is dropped", async (name, value) => {
    await start();
    const fields: [string, string][] = [[":method", "GET"], [":scheme", "https"], [":path", "/"], [name, value]];
    const got = await send(headers(1, fields), headers(3, [[":method", "GET"], [":scheme", "https"], [":path", "/h"], ["host", value]]));
    expect(resetCode(got, 1)).toBe(PROTOCOL_ERROR);
    expect(answered(got, 3)).toBe(true);
    expect(s.exchanges[0]!.field("host")).toBe("");
  });

  it("HEADERS or DATA on a stream the client reset get RST_STREAM STREAM_CLOSED; a stream depending on itself, PROTOCOL_ERROR", async () => {
    await start();
    const rst = frame(FRAME.RST_STREAM, 0, 1, u32(8));
    expect(resetCode(await send(headers(1, req("/hold")), rst, headers(1, [["x-t", "1"]])), 1)).toBe(STREAM_CLOSED);
    expect(resetCode(await send(headers(1, req("/hold"), FLAG.END_HEADERS), rst, data(1, Buffer.from("x"))), 1)).toBe(STREAM_CLOSED);
    const onItself = Buffer.concat([u32(1), Buffer.from([15]), headerBlock(req("/"))]);
    const selfHeaders = await send(frame(FRAME.HEADERS, HEADERS_END | FLAG.PRIORITY, 1, onItself), headers(3, req("/next")));
    expect([resetCode(selfHeaders, 1), answered(selfHeaders, 3), s.exchanges.at(-1)!.field(":path")]).toEqual([PROTOCOL_ERROR, true, "/next"]);
    const selfPriority = await send(headers(1, req("/hold")), frame(FRAME.PRIORITY, 0, 1, Buffer.concat([u32(1), Buffer.from([15])])));
    expect([resetCode(selfPriority, 1), goawayCode(selfPriority)]).toEqual([PROTOCOL_ERROR, null]);
  });

  it("a field value with CR, LF or NUL is dropped and the stream served; te: trailers and CONNECT with :authority pass", async () => {
    await start();
    const got = await send(
      headers(1, req("/", [["x-evil", "a\r\nx-injected: 1"], ["x-nul", "a\0b"], ["x-fine", "yes"], ["te", "trailers"]])),
      headers(3, [[":method", "CONNECT"], [":authority", "example.test:443"]]),
    );
    expect(answered(got, 1)).toBe(true);
    const x = s.exchanges[0]!;
    expect(x.raw.filter((_, i) => i % 2 === 0)).toEqual([":method", ":scheme", ":authority", ":path", "x-fine", "te"]);
    expect(answered(got, 3)).toBe(true);
  });

  it("a header list over 32 KiB or 104 fields is refused with ENHANCE_YOUR_CALM; the session stays", async () => {
    await start();
    const many = req("/many");
    for (let i = 0; i < 101; i++) many.push([`x-f${i}`, "v"]);
    const bigBlock = headerBlock(req("/big", [["x-big", "v".repeat(40_000)]]));
    const got = await send(
      headers(1, many),
      frame(FRAME.HEADERS, FLAG.END_STREAM, 3, bigBlock.subarray(0, 16_000)),
      frame(FRAME.CONTINUATION, 0, 3, bigBlock.subarray(16_000, 32_000)),
      frame(FRAME.CONTINUATION, FLAG.END_HEADERS, 3, bigBlock.subarray(32_000)),
      headers(5, req("/fine")),
    );
    expect([resetCode(got, 1), resetCode(got, 3)]).toEqual([ENHANCE_YOUR_CALM, ENHANCE_YOUR_CALM]);
    expect(answered(got, 5)).toBe(true);
  });

  it("padding and priority flags on HEADERS and DATA are read past; a trailer block ends the request", async () => {
    await start();
    const block = headerBlock(req("/padded", [], "POST"));
    const padded = Buffer.concat([Buffer.from([3]), Buffer.alloc(5), block, Buffer.alloc(3)]); // pad length, priority, block, padding
    const body = Buffer.concat([Buffer.from([2]), Buffer.from("body"), Buffer.alloc(2)]);
    const got = await send(
      frame(FRAME.HEADERS, FLAG.END_HEADERS | FLAG.PADDED | FLAG.PRIORITY, 1, padded),
      frame(FRAME.DATA, FLAG.PADDED, 1, body),
      headers(1, [["x-trailer", "1"]]),
    );
    expect(answered(got, 1)).toBe(true);
    const x = s.exchanges[0]!;
    expect([x.field(":path"), x.body.toString(), x.ended]).toEqual(["/padded", "body", true]);
  });

  it("trailers without END_STREAM, or with a pseudo-header, reset the stream; DATA after END_STREAM gets STREAM_CLOSED", async () => {
    await start();
    const post = (id: number) => headers(id, req("/hold", [], "POST"), FLAG.END_HEADERS);
    const noEnd = await send(post(1), headers(1, [["x-t", "1"]], FLAG.END_HEADERS));
    expect(resetCode(noEnd, 1)).toBe(PROTOCOL_ERROR);
    const pseudo = await send(post(1), headers(1, [[":path", "/x"]]));
    expect(resetCode(pseudo, 1)).toBe(PROTOCOL_ERROR);
    const after = await send(headers(1, req("/hold")), data(1, Buffer.from("late")));
    expect(resetCode(after, 1)).toBe(STREAM_CLOSED);
  });

  it("a paused stream gets no WINDOW_UPDATE; one that reads does", async () => {
    s = await startWireServer(certificate.server, (x) => {
      if (x.field(":path") === "/paused") x.stream.pause();
    });
    const post = (id: number, path: string) => headers(id, req(path, [], "POST"), FLAG.END_HEADERS);
    const chunk = Buffer.alloc(16_384, 0x61);
    const got = await send(post(1, "/paused"), data(1, chunk), data(1, chunk), data(1, chunk), post(3, "/reading"), data(3, chunk), data(3, chunk), data(3, chunk));
    const updates = (id: number) => got.filter((f) => f.type === FRAME.WINDOW_UPDATE && f.streamId === id);
    expect(updates(1)).toHaveLength(0);
    expect(updates(3).length).toBeGreaterThan(0);
  });
});
