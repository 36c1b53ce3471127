import { afterEach, describe, expect, it, vi } from "vitest";
import { HpackDecoder } from "../hpack/hpack-decoder";
import { FLAG, FRAME, frame, headerBlock, u32, type RawFrame } from "../test-support/raw-h2";
import { StreamHead } from "../stream-head";
import { COMPRESSION_ERROR, ENHANCE_YOUR_CALM, FLOW_CONTROL_ERROR, FRAME_SIZE_ERROR, INTERNAL_ERROR, NO_ERROR, PROTOCOL_ERROR, STREAM_CLOSED } from "./frames";
import { collectingUncaught, ConformanceClient, dataFrame, headersFrame, request, type Fields } from "./test-support/conformance-client";
import type { TestExchange } from "./test-support/wire-server";

/**
 * RFC 9113 conformance of `H2Connection`, h2spec style, over an in-memory socket
 * (test-support/conformance-client.ts): each case hands the connection exact bytes (one byte per chunk
 * where it matters) and checks what the server answered — GOAWAY and its code, RST_STREAM and its code,
 * or a response — and what reached the stream's owner. The owner here answers `ok <path> <body>` at the
 * request's end; a path starting with /hold is never answered.
 */

const clients: ConformanceClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

function answerAtEnd(x: TestExchange): void {
  const path = x.field(":path");
  if (path.startsWith("/hold")) return;
  const answer = () => x.answer(`ok ${path} ${x.body.toString("latin1")}`);
  if (x.stream.endAfterHeaders) answer();
  else x.onEnd = answer;
}

/** A client past the preface (its SETTINGS sent), answered by `onStream`. */
async function open(onStream: (x: TestExchange) => void = answerAtEnd): Promise<ConformanceClient> {
  const c = new ConformanceClient(onStream);
  clients.push(c);
  c.send(ConformanceClient.preface());
  await c.turn();
  return c;
}

/** Sends `frames` in one chunk after the preface and lets the connection answer. */
async function exchange(...frames: Buffer[]): Promise<ConformanceClient> {
  const c = await open();
  c.send(...frames);
  await c.turn();
  return c;
}

const setting = (id: number, value: number): Buffer => {
  const p = Buffer.alloc(6);
  p.writeUInt16BE(id);
  p.writeUInt32BE(value, 2);
  return p;
};
const post = (id: number, path: string, extra: Fields = []): Buffer => headersFrame(id, request(path, extra, "POST"), false);
const paths = (c: ConformanceClient): string[] => c.exchanges.map((x) => x.field(":path"));
const resets = (c: ConformanceClient): RawFrame[] => c.frames().filter((f) => f.type === FRAME.RST_STREAM);

describe("framing: partial frames across chunk boundaries", () => {
  /** Four streams using every framing feature a request may: bodies, padding, priority, CONTINUATION, trailers, PING. */
  function conversation(): Buffer {
    const split = headerBlock(request("/split"));
    const paddedHead = Buffer.concat([Buffer.from([4]), Buffer.alloc(5), headerBlock(request("/padded", [["content-length", "3"]], "POST")), Buffer.alloc(4)]);
    return Buffer.concat([
      ConformanceClient.preface(),
      frame(FRAME.SETTINGS, 0, 0, setting(4, 100_000)),
      frame(FRAME.PING, 0, 0, Buffer.from("pingpong")),
      post(1, "/a"),
      dataFrame(1, "hello"),
      frame(FRAME.DATA, FLAG.PADDED | FLAG.END_STREAM, 1, Buffer.concat([Buffer.from([7]), Buffer.from(" world"), Buffer.alloc(7)])),
      frame(FRAME.HEADERS, FLAG.END_STREAM, 3, split.subarray(0, 7)),
      frame(FRAME.CONTINUATION, 0, 3, split.subarray(7, 20)),
      frame(FRAME.CONTINUATION, FLAG.END_HEADERS, 3, split.subarray(20)),
      frame(FRAME.HEADERS, FLAG.END_HEADERS | FLAG.PADDED | FLAG.PRIORITY, 5, paddedHead),
      dataFrame(5, "abc", true),
      post(7, "/trailers"),
      dataFrame(7, "x".repeat(20_000).slice(0, 16_384)),
      dataFrame(7, "tail"),
      headersFrame(7, [["x-checksum", "1"]]),
      frame(FRAME.WINDOW_UPDATE, 0, 0, u32(1000)),
    ]);
  }

  /** What the server sent, without the batching: one line per frame. */
  const transcript = (c: ConformanceClient) => c.frames().map((f) => `${f.type}/${f.flags}/${f.streamId}/${f.payload.toString("hex")}`);

  it("the same conversation fed whole and one byte per chunk (and in 2, 3, 5, 8, 9, 10, 13, 100-byte chunks) gets the same frames", async () => {
    const whole = new ConformanceClient(answerAtEnd);
    clients.push(whole);
    whole.send(conversation());
    await whole.turn();
    expect(whole.goaway()).toBeNull();
    expect(resets(whole)).toEqual([]);
    expect(paths(whole)).toEqual(["/a", "/split", "/padded", "/trailers"]);
    expect([1, 3, 5, 7].map((id) => whole.body(id).text)).toEqual(["ok /a hello world", "ok /split ", "ok /padded abc", `ok /trailers ${"x".repeat(16_384)}tail`]);
    expect([1, 3, 5, 7].map((id) => [whole.status(id), whole.body(id).ended])).toEqual([[200, true], [200, true], [200, true], [200, true]]);
    expect(whole.frames().some((f) => f.type === FRAME.PING && f.flags === FLAG.ACK && f.payload.toString() === "pingpong")).toBe(true);
    const expected = transcript(whole);

    for (const size of [1, 2, 3, 5, 8, 9, 10, 13, 100]) {
      const c = new ConformanceClient(answerAtEnd);
      clients.push(c);
      c.sendInChunks(conversation(), size);
      await c.turn();
      expect(transcript(c), `chunks of ${size}`).toEqual(expected);
      expect(c.exchanges.map((x) => x.body.toString("latin1")), `chunks of ${size}`).toEqual(whole.exchanges.map((x) => x.body.toString("latin1")));
    }
  });

  it("a frame length over 16 384 whose header arrives in pieces gets GOAWAY FRAME_SIZE_ERROR; nothing after it is read", async () => {
    const c = await open();
    const big = frame(FRAME.DATA, 0, 1, Buffer.alloc(16_385));
    c.sendInChunks(Buffer.concat([big.subarray(0, 9), headersFrame(1, request("/after"))]), 2);
    await c.turn();
    expect(c.goaway()).toEqual({ lastStreamId: 0, code: FRAME_SIZE_ERROR });
    expect(c.exchanges).toHaveLength(0);
  });

  it("a connection error is answered once: later bytes are ignored", async () => {
    const c = await exchange(frame(FRAME.DATA, 0, 0, Buffer.from("x")));
    c.send(frame(FRAME.PING, 0, 0, Buffer.alloc(8)), headersFrame(1, request()));
    await c.turn();
    expect(c.frames().filter((f) => f.type === FRAME.GOAWAY)).toHaveLength(1);
    expect(c.frames().some((f) => f.type === FRAME.PING)).toBe(false);
    expect(c.exchanges).toHaveLength(0);
    expect(c.socket.endCalled).toBe(true);
  });
});

describe("frame types: sizes, stream ids, flags (RFC 9113 §6)", () => {
  it.each([
    ["DATA on stream 0", frame(FRAME.DATA, 0, 0, Buffer.from("x")), PROTOCOL_ERROR],
    ["HEADERS on stream 0", headersFrame(0, request()), PROTOCOL_ERROR],
    ["HEADERS on an even stream id", headersFrame(2, request()), PROTOCOL_ERROR],
    ["PRIORITY on stream 0", frame(FRAME.PRIORITY, 0, 0, Buffer.alloc(5)), PROTOCOL_ERROR],
    // RFC 9113 §6.3 calls these stream errors; §5.4.1 lets an endpoint make them connection errors (as today): either passes.
    ["PRIORITY of 4 octets", frame(FRAME.PRIORITY, 0, 1, Buffer.alloc(4)), FRAME_SIZE_ERROR, true],
    ["PRIORITY of 6 octets", frame(FRAME.PRIORITY, 0, 1, Buffer.alloc(6)), FRAME_SIZE_ERROR, true],
    ["RST_STREAM on stream 0", frame(FRAME.RST_STREAM, 0, 0, u32(8)), PROTOCOL_ERROR],
    ["RST_STREAM of 3 octets", frame(FRAME.RST_STREAM, 0, 1, Buffer.alloc(3)), FRAME_SIZE_ERROR],
    ["RST_STREAM on an idle stream", frame(FRAME.RST_STREAM, 0, 1, u32(8)), PROTOCOL_ERROR],
    ["SETTINGS on stream 1", frame(FRAME.SETTINGS, 0, 1, setting(3, 100)), PROTOCOL_ERROR],
    ["SETTINGS ACK with a payload", frame(FRAME.SETTINGS, FLAG.ACK, 0, setting(3, 100)), FRAME_SIZE_ERROR],
    ["SETTINGS of 7 octets", frame(FRAME.SETTINGS, 0, 0, Buffer.concat([setting(3, 100), Buffer.alloc(1)])), FRAME_SIZE_ERROR],
    ["SETTINGS of 5 octets", frame(FRAME.SETTINGS, 0, 0, setting(3, 100).subarray(0, 5)), FRAME_SIZE_ERROR],
    ["SETTINGS_ENABLE_PUSH 2", frame(FRAME.SETTINGS, 0, 0, setting(2, 2)), PROTOCOL_ERROR],
    ["SETTINGS_MAX_FRAME_SIZE 2^24", frame(FRAME.SETTINGS, 0, 0, setting(5, 16_777_216)), PROTOCOL_ERROR],
    ["PING on stream 1", frame(FRAME.PING, 0, 1, Buffer.alloc(8)), PROTOCOL_ERROR],
    ["PING of 7 octets", frame(FRAME.PING, 0, 0, Buffer.alloc(7)), FRAME_SIZE_ERROR],
    ["GOAWAY on stream 1", frame(FRAME.GOAWAY, 0, 1, Buffer.alloc(8)), PROTOCOL_ERROR],
    ["GOAWAY of 7 octets", frame(FRAME.GOAWAY, 0, 0, Buffer.alloc(7)), FRAME_SIZE_ERROR],
    ["WINDOW_UPDATE of 3 octets", frame(FRAME.WINDOW_UPDATE, 0, 0, Buffer.alloc(3)), FRAME_SIZE_ERROR],
    ["WINDOW_UPDATE of 0 on stream 0", frame(FRAME.WINDOW_UPDATE, 0, 0, u32(0)), PROTOCOL_ERROR],
    ["WINDOW_UPDATE on an idle stream", frame(FRAME.WINDOW_UPDATE, 0, 1, u32(1)), PROTOCOL_ERROR],
    ["CONTINUATION without a header block", frame(FRAME.CONTINUATION, FLAG.END_HEADERS, 1, headerBlock(request())), PROTOCOL_ERROR],
    ["DATA padded with a pad length equal to the frame length", frame(FRAME.DATA, FLAG.PADDED, 1, Buffer.from([3, 0x61, 0x62])), PROTOCOL_ERROR],
    ["HEADERS padded with a pad length past the payload", frame(FRAME.HEADERS, FLAG.PADDED | FLAG.END_HEADERS, 1, Buffer.concat([Buffer.from([200]), headerBlock(request())])), PROTOCOL_ERROR],
    ["HEADERS padded + priority, pad length past what the priority left", frame(FRAME.HEADERS, FLAG.PADDED | FLAG.PRIORITY | FLAG.END_HEADERS, 1, Buffer.from([1, 0, 0, 0, 0, 16])), PROTOCOL_ERROR],
    ["DATA flagged PADDED with an empty payload", frame(FRAME.DATA, FLAG.PADDED, 1), PROTOCOL_ERROR],
  ] as [string, Buffer, number, boolean?][])("%s: GOAWAY with that code", async (_name, bad, code, streamErrorAllowed) => {
    // Stream 1 is open (held) for the DATA cases, so their error is the frame's own, not an idle stream's.
    const opened = bad[3] === FRAME.DATA && bad.readUInt32BE(5) === 1 ? [post(1, "/hold")] : [];
    const c = await exchange(...opened, bad);
    const answer = c.goaway()?.code ?? (streamErrorAllowed === true ? c.resetCode(bad.readUInt32BE(5)) : null);
    expect(answer).toBe(code);
  });

  it("DATA whose pad length leaves no data, and HEADERS padded to an empty remainder of a split block, are fine", async () => {
    const block = headerBlock(request("/p", [], "POST"));
    const c = await exchange(
      frame(FRAME.HEADERS, FLAG.PADDED, 1, Buffer.concat([Buffer.from([2]), block, Buffer.alloc(2)])),
      frame(FRAME.CONTINUATION, FLAG.END_HEADERS, 1),
      frame(FRAME.DATA, FLAG.PADDED, 1, Buffer.from([2, 0, 0])),
      frame(FRAME.DATA, FLAG.PADDED | FLAG.END_STREAM, 1, Buffer.from([1, 0x61, 0])),
    );
    expect(c.goaway()).toBeNull();
    expect(c.body(1).text).toBe("ok /p a");
  });

  it("SETTINGS ACK without payload, unknown settings, unknown frame types and a PING ACK get no answer", async () => {
    const c = await open();
    const before = c.frames().length;
    c.send(frame(FRAME.SETTINGS, FLAG.ACK, 0), frame(0x42, 0xff, 7, Buffer.alloc(10)), frame(FRAME.PING, FLAG.ACK, 0, Buffer.alloc(8)));
    await c.turn();
    expect(c.frames().slice(before)).toEqual([]);
    c.send(frame(FRAME.SETTINGS, 0, 0, setting(0x99, 1)));
    await c.turn();
    expect(c.frames().slice(before).map((f) => [f.type, f.flags, f.payload.length])).toEqual([[FRAME.SETTINGS, FLAG.ACK, 0]]);
  });

  it("a PRIORITY frame on an idle stream neither opens it nor moves the stream-id floor", async () => {
    const c = await exchange(frame(FRAME.PRIORITY, 0, 9, Buffer.from([0, 0, 0, 0, 16])), headersFrame(1, request("/one")), headersFrame(3, request("/three")));
    expect(c.goaway()).toBeNull();
    expect(paths(c)).toEqual(["/one", "/three"]);
  });

  it("while a header block is open, any other frame (an unknown type, PRIORITY, or CONTINUATION on another stream) gets GOAWAY PROTOCOL_ERROR", async () => {
    const block = headerBlock(request("/cut"));
    for (const intruder of [frame(0x42, 0, 0, Buffer.alloc(1)), frame(FRAME.PRIORITY, 0, 1, Buffer.alloc(5)), frame(FRAME.CONTINUATION, FLAG.END_HEADERS, 3, block.subarray(8))]) {
      const c = await exchange(frame(FRAME.HEADERS, FLAG.END_STREAM, 1, block.subarray(0, 8)), intruder, frame(FRAME.CONTINUATION, FLAG.END_HEADERS, 1, block.subarray(8)));
      expect(c.goaway()?.code).toBe(PROTOCOL_ERROR);
      expect(c.exchanges).toHaveLength(0);
    }
  });

  it("a header block split over HEADERS + 3 CONTINUATIONs fed a byte at a time is one request", async () => {
    const block = headerBlock(request("/continued", [["x-long", "v".repeat(300)]]));
    const c = await open();
    const cuts = [0, 5, 100, 250, block.length];
    const frames = [frame(FRAME.HEADERS, FLAG.END_STREAM, 1, block.subarray(0, 5))];
    for (let i = 1; i < cuts.length - 1; i++) frames.push(frame(FRAME.CONTINUATION, i === cuts.length - 2 ? FLAG.END_HEADERS : 0, 1, block.subarray(cuts[i], cuts[i + 1])));
    c.sendInChunks(Buffer.concat(frames), 1);
    await c.turn();
    expect(c.goaway()).toBeNull();
    expect([paths(c), c.exchanges[0]!.field("x-long").length, c.status(1)]).toEqual([["/continued"], 300, 200]);
  });

  it("a response header block larger than the client's frame size goes out as HEADERS + CONTINUATION, each within the frame size", async () => {
    const c = await open((x) => x.stream.respond({ ":status": 200, "x-big": "b".repeat(40_000) }, true));
    c.send(headersFrame(1, request()));
    await c.turn();
    const frames = c.frames().filter((f) => f.streamId === 1);
    expect(frames.map((f) => f.type)).toEqual([FRAME.HEADERS, FRAME.CONTINUATION, FRAME.CONTINUATION]);
    expect(frames.every((f) => f.payload.length <= 16_384)).toBe(true);
    expect(frames.map((f) => f.flags)).toEqual([FLAG.END_STREAM, 0, FLAG.END_HEADERS]);
    expect(c.headerBlocks(1)[0]).toEqual([":status", "200", "x-big", "b".repeat(40_000)]);
  });
});

describe("stream states (RFC 9113 §5.1)", () => {
  it("half-closed (remote): DATA gets RST_STREAM STREAM_CLOSED; WINDOW_UPDATE and PRIORITY are fine", async () => {
    const c = await exchange(headersFrame(1, request("/hold")), frame(FRAME.WINDOW_UPDATE, 0, 1, u32(100)), frame(FRAME.PRIORITY, 0, 1, Buffer.from([0, 0, 0, 0, 16])));
    expect([c.goaway(), c.resetCode(1), c.exchanges[0]!.closed]).toEqual([null, null, false]);
    c.send(dataFrame(1, "late"));
    await c.turn();
    expect([c.goaway(), c.resetCode(1), c.exchanges[0]!.closed, c.exchanges[0]!.bytes]).toEqual([null, STREAM_CLOSED, true, 0]);
  });

  it("half-closed (local): the response is done, the request body still arrives and its END_STREAM closes the stream", async () => {
    const c = await open((x) => x.answer("early"));
    c.send(post(1, "/upload"), dataFrame(1, "part one "));
    await c.turn();
    expect(c.body(1)).toEqual({ text: "early", ended: true });
    const x = c.exchanges[0]!;
    expect(x.closed).toBe(false);
    c.send(dataFrame(1, "part two", true));
    await c.turn();
    expect([x.body.toString(), x.ended, x.closed, c.goaway(), c.resetCode(1)]).toEqual(["part one part two", true, true, null, null]);
  });

  it("a stream we refused: DATA, WINDOW_UPDATE, RST_STREAM and trailers still in flight on it are ignored", async () => {
    const c = await exchange(
      headersFrame(1, request("/refused", [["te", "gzip"]], "POST"), false),
      dataFrame(1, "in flight"),
      frame(FRAME.WINDOW_UPDATE, 0, 1, u32(10)),
      headersFrame(1, [["x-trailer", "1"]]),
      frame(FRAME.RST_STREAM, 0, 1, u32(8)),
      headersFrame(3, request("/next")),
    );
    expect([c.resetCode(1), c.goaway(), paths(c), c.status(3)]).toEqual([PROTOCOL_ERROR, null, ["/next"], 200]);
  });

  it("a stream the client reset: the owner hears the close once; a later WINDOW_UPDATE and RST_STREAM on it are ignored", async () => {
    const c = await exchange(post(1, "/hold"), frame(FRAME.RST_STREAM, 0, 1, u32(8)), frame(FRAME.WINDOW_UPDATE, 0, 1, u32(10)), frame(FRAME.RST_STREAM, 0, 1, u32(8)));
    expect([c.exchanges[0]!.closed, c.goaway(), resets(c)]).toEqual([true, null, []]);
  });

  it("WINDOW_UPDATE of 0 on an open stream gets RST_STREAM PROTOCOL_ERROR; the connection goes on", async () => {
    const c = await exchange(headersFrame(1, request("/hold")), frame(FRAME.WINDOW_UPDATE, 0, 1, u32(0)), headersFrame(3, request("/next")));
    expect([c.resetCode(1), c.exchanges[0]!.closed, c.goaway(), c.status(3)]).toEqual([PROTOCOL_ERROR, true, null, 200]);
  });

  it("padding counts against the stream window: a paused stream's 4th padded 16 KiB frame gets RST_STREAM FLOW_CONTROL_ERROR", async () => {
    const c = await open((x) => x.stream.pause());
    const padded = frame(FRAME.DATA, FLAG.PADDED, 1, Buffer.concat([Buffer.from([255]), Buffer.alloc(16_384 - 256, 0x61), Buffer.alloc(255)]));
    c.send(post(1, "/paused"), padded, padded, padded);
    await c.turn();
    expect([c.resetCode(1), c.exchanges[0]!.bytes]).toEqual([null, 3 * (16_384 - 256)]);
    c.send(padded); // 4 x 16 384 = 65 536 > 65 535, though its data alone (4 x 16 128) would fit
    await c.turn();
    expect([c.resetCode(1), c.exchanges[0]!.bytes, c.goaway()]).toEqual([FLOW_CONTROL_ERROR, 3 * (16_384 - 256), null]);
  });
});

describe("GOAWAY", () => {
  it("frames after the client's own GOAWAY in the same chunk are served; then the socket ends", async () => {
    const c = await exchange(frame(FRAME.GOAWAY, 0, 0, Buffer.alloc(8)), headersFrame(1, request("/after-goaway")));
    expect([paths(c), c.status(1), c.body(1).ended]).toEqual([["/after-goaway"], 200, true]);
    expect(c.goaway()).toBeNull();
    expect(c.socket.endCalled).toBe(true);
  });

  it("the client's GOAWAY with a stream open: the stream finishes, then the socket ends", async () => {
    const c = await exchange(post(1, "/slow"), frame(FRAME.GOAWAY, 0, 0, Buffer.concat([u32(0), u32(NO_ERROR)])));
    expect(c.socket.endCalled).toBe(false);
    c.send(dataFrame(1, "body", true));
    await c.turn();
    expect([c.body(1).text, c.socket.endCalled]).toEqual(["ok /slow body", true]);
  });

  it("our graceful GOAWAY names the last stream; a new stream after it is ignored (no owner), the open one finishes", async () => {
    const c = await exchange(post(1, "/open"));
    c.connection.close();
    await c.turn();
    expect(c.goaway()).toEqual({ lastStreamId: 1, code: NO_ERROR });
    c.send(headersFrame(3, request("/too-late")), dataFrame(1, "end", true));
    await c.turn();
    expect([paths(c), c.body(1).text, c.status(3), c.socket.endCalled]).toEqual([["/open"], "ok /open end", 0, true]);
  });
});

describe("HPACK (RFC 7541)", () => {
  it("a dynamic table size update above 4 096 gets GOAWAY COMPRESSION_ERROR; one at 4 096 or 0 before the first field is fine", async () => {
    const update4097 = Buffer.from([0x3f, 0xe2, 0x1f]);
    const update4096 = Buffer.from([0x3f, 0xe1, 0x1f]);
    const block = headerBlock(request("/sized"));
    const bad = await exchange(frame(FRAME.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 1, Buffer.concat([update4097, block])));
    expect(bad.goaway()?.code).toBe(COMPRESSION_ERROR);
    expect(bad.exchanges).toHaveLength(0);
    const fine = await exchange(frame(FRAME.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 1, Buffer.concat([Buffer.from([0x20]), update4096, block])));
    expect([fine.goaway(), fine.status(1)]).toEqual([null, 200]);
    const late = await exchange(frame(FRAME.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 1, Buffer.concat([block, Buffer.from([0x20])])));
    expect(late.goaway()?.code).toBe(COMPRESSION_ERROR);
  });

  it("a block that references one big table entry 10 000 times is refused (ENHANCE_YOUR_CALM) without killing the connection", async () => {
    // Literal with incremental indexing, new name "x-bomb", a 4 000-octet value (length 127 + 3 873: 0x7f 0xa1 0x1e); then index 62 (that entry).
    const insert = Buffer.concat([Buffer.from([0x40, 6]), Buffer.from("x-bomb"), Buffer.from([0x7f, 0xa1, 0x1e]), Buffer.alloc(4000, 0x62)]);
    const bomb = Buffer.concat([headerBlock(request("/bomb")), insert, Buffer.alloc(10_000, 0xbe)]);
    const c = await exchange(frame(FRAME.HEADERS, FLAG.END_HEADERS | FLAG.END_STREAM, 1, bomb), headersFrame(3, request("/after")));
    expect([c.resetCode(1), c.goaway(), paths(c), c.status(3)]).toEqual([ENHANCE_YOUR_CALM, null, ["/after"], 200]);
  });
});

describe("header list bounds", () => {
  it("a block of 40 000 one-octet indexed fields is refused (ENHANCE_YOUR_CALM) without collecting them: the decoded list stops past maxHeaderListPairs", async () => {
    const decode = vi.spyOn(HpackDecoder.prototype, "decode");
    try {
      const block = Buffer.alloc(40_000, 0x82); // :method GET, 42 octets of list size each
      const c = await exchange(
        frame(FRAME.HEADERS, FLAG.END_STREAM, 1, block.subarray(0, 16_384)),
        frame(FRAME.CONTINUATION, 0, 1, block.subarray(16_384, 32_768)),
        frame(FRAME.CONTINUATION, FLAG.END_HEADERS, 1, block.subarray(32_768)),
        headersFrame(3, request("/after")),
      );
      expect([c.resetCode(1), c.goaway(), paths(c), c.status(3)]).toEqual([ENHANCE_YOUR_CALM, null, ["/after"], 200]);
      const collected = decode.mock.calls.map((call) => call[3].length);
      expect(collected[0]).toBeLessThanOrEqual(2 * 104 + 2); // TEST_LIMITS.maxHeaderListPairs = 104
      expect(decode.mock.results[0]!.value).toBe(40_000 * 42); // the whole list's size still counted
    } finally {
      decode.mockRestore();
    }
  });

  it("a list of 105 fields (one past maxHeaderListPairs) is refused, one of 104 is served; both keep the table in step", async () => {
    const fields = (n: number): Fields => request("/", Array.from({ length: n - 4 }, (_, i): [string, string] => [`x-${i}`, "v"]));
    const c = await exchange(headersFrame(1, fields(105)), headersFrame(3, fields(104)));
    expect([c.resetCode(1), c.resetCode(3), c.status(3), c.exchanges[0]!.raw.length]).toEqual([ENHANCE_YOUR_CALM, null, 200, 208]);
  });
});

describe("an owner's exception: reported, and never holding back others", () => {
  it("one in onStream resets that stream (INTERNAL_ERROR), is reported, and the next stream is served", async () => {
    await collectingUncaught(async (caught) => {
      const c = await open((x) => {
        if (x.field(":path") === "/throw") throw new Error("bug in onStream");
        answerAtEnd(x);
      });
      c.send(headersFrame(1, request("/throw")), headersFrame(3, request("/next")));
      await c.turn();
      expect([c.resetCode(1), c.goaway(), c.status(3)]).toEqual([INTERNAL_ERROR, null, 200]);
      expect(caught.map(String)).toEqual(["Error: bug in onStream"]);
    });
  });

  it("one in onClientData ends the connection (GOAWAY INTERNAL_ERROR) and is reported", async () => {
    await collectingUncaught(async (caught) => {
      const c = await open((x) => {
        x.onData = () => {
          throw new Error("bug in onClientData");
        };
      });
      c.send(post(1, "/upload"), dataFrame(1, "body"));
      await c.turn();
      expect([c.goaway()?.code, c.exchanges[0]!.closed]).toEqual([INTERNAL_ERROR, true]);
      expect(caught.map(String)).toEqual(["Error: bug in onClientData"]);
    });
  });

  it("one in onStreamClose during the shared flush: the other connections' output still goes out this turn, and it is reported", async () => {
    await collectingUncaught(async (caught) => {
      const throwing = await open((x) => {
        x.onClose = () => {
          throw new Error("bug in onStreamClose");
        };
        x.answer("a"); // both sides ended inside the owner's call: its close is told at the flush
      });
      const other = await open();
      throwing.send(headersFrame(1, request("/a")));
      other.send(headersFrame(1, request("/b")));
      await other.turn();
      expect([throwing.status(1), other.status(1), other.body(1).text]).toEqual([200, 200, "ok /b "]);
      expect(caught.map(String)).toEqual(["Error: bug in onStreamClose"]);
      throwing.send(headersFrame(3, request("/again")));
      await throwing.turn();
      expect(throwing.status(3)).toBe(200); // not left marked dirty and never flushed again
    });
  });

  it("a socket write that throws during the shared flush: the other connections' output still goes out, and the failing one flushes again later", async () => {
    await collectingUncaught(async (caught) => {
      const failing = await open();
      const other = await open();
      const write = failing.socket.write.bind(failing.socket);
      failing.socket.write = () => {
        throw new Error("write failed");
      };
      failing.send(headersFrame(1, request("/a")));
      other.send(headersFrame(1, request("/b")));
      await other.turn();
      expect(other.status(1)).toBe(200);
      expect(caught.map(String)).toEqual(["Error: write failed"]);
      failing.socket.write = write;
      failing.send(headersFrame(3, request("/again")));
      await failing.turn();
      expect(failing.status(3)).toBe(200);
    });
  });

  it("one in onStreamDrain on the socket's 'drain' ends the connection (GOAWAY INTERNAL_ERROR) and is reported, not thrown into the socket", async () => {
    await collectingUncaught(async (caught) => {
      const c = await open((x) => {
        x.stream.respond({ ":status": 200 }, false);
        x.stream.write(Buffer.alloc(100_000)); // held: the socket does not drain
        x.onDrain = () => {
          throw new Error("bug in onStreamDrain");
        };
      });
      c.send(frame(FRAME.SETTINGS, 0, 0, setting(4, 1 << 20)), frame(FRAME.WINDOW_UPDATE, 0, 0, u32(1 << 20)));
      c.socket.writeAnswer = false;
      await c.turn();
      c.send(headersFrame(1, request("/big")));
      await c.turn();
      c.socket.writeAnswer = true;
      c.socket.emit("drain");
      await c.turn();
      expect([c.goaway()?.code, c.exchanges[0]!.closed, c.exchanges[0]!.drains]).toEqual([INTERNAL_ERROR, true, 1]);
      expect(caught.map(String)).toEqual(["Error: bug in onStreamDrain"]);
    });
  });

  it("the socket closing while an owner throws in onStreamClose: every other stream and the connection's owner still hear it", async () => {
    await collectingUncaught(async (caught) => {
      const c = await open((x) => {
        if (x.field(":path") === "/hold-throws")
          x.onClose = () => {
            throw new Error("bug at disconnect");
          };
      });
      c.send(headersFrame(1, request("/hold-1")), headersFrame(3, request("/hold-throws")), headersFrame(5, request("/hold-5")));
      await c.turn();
      c.socket.emit("close");
      await c.turn();
      expect([c.exchanges.map((x) => x.closed), c.ownerClosed]).toEqual([[true, true, true], true]);
      expect(caught.map(String)).toEqual(["Error: bug at disconnect"]);
    });
  });
});

describe("request header checks (RFC 9113 §8.2, §8.3)", () => {
  /** Sends `fields` as stream 1 (END_STREAM unless `body` is given) and stream 3 as a plain GET. */
  async function head(fields: Fields, body?: string): Promise<ConformanceClient> {
    const frames = body === undefined ? [headersFrame(1, fields)] : [headersFrame(1, fields, false), dataFrame(1, body, true)];
    return exchange(...frames, headersFrame(3, request("/next")));
  }

  it.each([
    ["a content-length with a plus sign", request("/", [["content-length", "+5"]], "POST")],
    ["a content-length with a space inside", request("/", [["content-length", "5 5"]], "POST")],
    ["a content-length list", request("/", [["content-length", "5, 5"]], "POST")],
    ["two content-length values differing", request("/", [["content-length", "5"], ["content-length", "6"]], "POST")],
    ["two content-length values alike (nghttp2 refuses any second one)", request("/", [["content-length", "5"], ["content-length", "5"]], "POST")],
    ["an empty :path", request("")],
    [":method missing", [[":scheme", "https"], [":authority", "localhost"], [":path", "/"]]],
    [":scheme missing", [[":method", "GET"], [":authority", "localhost"], [":path", "/"]]],
    ["an empty :method", request("/", [], "")],
    ["te: gzip", request("/", [["te", "gzip"]])],
    ["te: trailers, gzip", request("/", [["te", "trailers, gzip"]])],
    [":protocol (no extended CONNECT offered)", [[":method", "CONNECT"], [":protocol", "websocket"], [":scheme", "https"], [":authority", "x"], [":path", "/"]]],
    ["an empty field name", request("/", [["", "v"]])],
    ["a name with a colon inside", request("/", [["x:y", "v"]])],
    ["a name with obs-text", request("/", [["x-\u00e9", "v"]])],
  ] as [string, Fields][])("%s: RST_STREAM PROTOCOL_ERROR before any owner; the next stream is served", async (_name, fields) => {
    const c = await head(fields, "hello");
    expect([c.resetCode(1), c.goaway(), paths(c), c.status(3)]).toEqual([PROTOCOL_ERROR, null, ["/next"], 200]);
  });

  it("a content-length of 16 digits is refused (RST_STREAM PROTOCOL_ERROR, as the HTTP/1 path past 15); 15 digits open the stream", async () => {
    const long = await head(request("/", [["content-length", "1234567890123456"]], "POST"), "hello");
    expect([long.resetCode(1), long.goaway(), paths(long), long.status(3)]).toEqual([PROTOCOL_ERROR, null, ["/next"], 200]);
    const huge = await head(request("/", [["content-length", "18446744073709551621"]], "POST"), "hello");
    expect([huge.resetCode(1), paths(huge)]).toEqual([PROTOCOL_ERROR, ["/next"]]);
    const c = await exchange(headersFrame(1, request("/hold", [["content-length", "999999999999999"]], "POST"), false));
    expect([c.resetCode(1), c.exchanges[0]!.stream.contentLength]).toEqual([null, 999_999_999_999_999]);
  });

  it("te: trailers (any case) is allowed", async () => {
    const c = await head(request("/te", [["te", "Trailers"]]));
    expect([c.resetCode(1), c.status(1), c.exchanges[0]!.field("te")]).toEqual([null, 200, "Trailers"]);
  });

  it("a content-length with a leading or trailing space is dropped as nghttp2 does (never forwarded), the body arrives whole", async () => {
    for (const value of [" 5", "5 ", "5\t"]) {
      const c = await head(request("/cl", [["content-length", value]], "POST"), "hello world");
      expect([c.resetCode(1), c.exchanges[0]!.field("content-length"), c.exchanges[0]!.body.toString()], JSON.stringify(value)).toEqual([null, "", "hello world"]);
      expect(new StreamHead(c.exchanges[0]!.raw).contentLength).toBe(-1);
    }
  });

  it("content-length against DATA: 0 with END_STREAM on the HEADERS and 3 bytes then trailers pass; fewer bytes at trailers or at END_STREAM are refused", async () => {
    const c = await exchange(
      headersFrame(1, request("/zero", [["content-length", "0"]], "POST")),
      post(3, "/three", [["content-length", "3"]]),
      dataFrame(3, "abc"),
      headersFrame(3, [["x-t", "1"]]),
      post(5, "/short", [["content-length", "3"]]),
      dataFrame(5, "ab"),
      headersFrame(5, [["x-t", "1"]]),
      post(7, "/ends-short", [["content-length", "10"]]),
      dataFrame(7, "short", true),
    );
    expect([c.status(1), c.body(3).text, c.resetCode(5), c.resetCode(7), c.goaway()]).toEqual([200, "ok /three abc", PROTOCOL_ERROR, PROTOCOL_ERROR, null]);
    expect([c.exchanges[2]!.ended, c.exchanges[3]!.ended]).toEqual([false, false]);
  });

  it("cookie crumbs arrive as separate fields; the StreamHead joins them with '; '", async () => {
    const c = await head(request("/cookies", [["cookie", "a=1"], ["x-other", "o"], ["cookie", "b=2"], ["cookie", "c=3"]]));
    const x = c.exchanges[0]!;
    expect(x.raw.filter((_, i) => i % 2 === 0 && x.raw[i] === "cookie")).toHaveLength(3);
    const streamHead = new StreamHead(x.raw);
    expect([streamHead.cookie, streamHead.cookieCount, streamHead.fields]).toEqual(["a=1; b=2; c=3", 1, "x-other: o\r\n"]);
  });

  it("a :path not in origin form passes the wire checks (stream-exchange answers it 400)", async () => {
    const c = await head(request("http://evil.test/x"));
    expect([c.resetCode(1), c.exchanges[0]!.field(":path")]).toEqual([null, "http://evil.test/x"]);
  });
});
