import { describe, expect, it } from "vitest";
import { BodyFramer, BodyMode } from "./body-framer";
import { ParseError } from "./parse-error";

describe("BodyFramer", () => {
  it("finds the end of a chunked body with extensions and trailers, byte by byte too", () => {
    const body = "4;a=b\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-T: 1\r\n\r\n";
    const tail = "GET /next";
    const whole = Buffer.from(body + tail);
    const framer = new BodyFramer();
    framer.start(BodyMode.CHUNKED);
    expect(framer.consume(whole, 0, whole.length)).toBe(body.length);
    expect(framer.done).toBe(true);
    framer.start(BodyMode.CHUNKED);
    let end = -1;
    for (let i = 0; i < whole.length && !framer.done; i++) end = framer.consume(whole, i, i + 1);
    expect(end).toBe(body.length);
    expect(framer.error).toBe(ParseError.NONE);
  });

  it("skips chunk data without scanning it", () => {
    const framer = new BodyFramer();
    framer.start(BodyMode.CHUNKED);
    const head = Buffer.from("100000\r\n");
    expect(framer.consume(head, 0, head.length)).toBe(head.length);
    const data = Buffer.alloc(0x100000, 0x0a); // LFs inside data are data
    expect(framer.consume(data, 0, data.length)).toBe(data.length);
    const end = Buffer.from("\r\n0\r\n\r\n");
    expect(framer.consume(end, 0, end.length)).toBe(end.length);
    expect(framer.done).toBe(true);
  });

  it("counts Content-Length bytes and stops at the boundary", () => {
    const framer = new BodyFramer();
    framer.start(BodyMode.LENGTH, 5);
    expect(framer.consume(Buffer.from("abc"), 0, 3)).toBe(3);
    expect(framer.done).toBe(false);
    expect(framer.consume(Buffer.from("deGET"), 0, 5)).toBe(2);
    expect(framer.done).toBe(true);
  });

  it.each([
    ["missing size", "\r\n"],
    ["0x prefix", "0x5\r\nhello\r\n0\r\n\r\n"],
    ["bare LF after size", "5\nhello\r\n0\r\n\r\n"],
    ["data longer than its size", "3\r\nhello\r\n0\r\n\r\n"],
    ["negative size", "-1\r\n"],
    ["overflowing size", "fffffffffffffffff\r\n"],
    ["space inside size", "1 2\r\n"],
  ])("rejects %s", (_name, text) => {
    const framer = new BodyFramer();
    framer.start(BodyMode.CHUNKED);
    framer.consume(Buffer.from(text), 0, text.length);
    expect(framer.error).toBe(ParseError.BAD_CHUNK);
  });
});
