import { describe, expect, it } from "vitest";
import { FIELD_STRIDE, F_KIND, F_LINE, F_LINE_END, F_NAME_END, INVALID, NEED_MORE, type HeadReader } from "./head-reader";
import { RequestParser } from "./request-parser";
import { ResponseParser } from "./response-parser";

/**
 * A head that arrives in one chunk has its field lines taken in one pass each (`fieldLine`); one that
 * trickles in is read line by line (`field`). Both must answer every head alike: the same end, the
 * same error code, the same fields. Generated heads mix valid lines with every kind of bad one.
 */

const LINES = [
  "Host: example.com",
  "Content-Length: 5",
  "content-length: 7",
  "Transfer-Encoding: chunked",
  "Connection: keep-alive",
  "X-Forwarded-For: 1.2.3.4",
  "User-Agent: curl/8.0 \xe9",
  "Empty:",
  "Spaces:   padded value \t ",
  "X_Under: score",
  "Tab:\tvalue",
  "X: a\x00b", // NUL in a value
  "X: a\rb", // a bare CR in a value
  "X: a\x7fb", // DEL
  "X : space before colon",
  "X\x01: bad name",
  "no colon here",
  ": no name",
  " folded continuation", // obs-fold
  `Long: ${"v".repeat(90)}`,
];

/** A deterministic head: a start line, fields picked by `seed`, line ends mostly CRLF (now and then a bare LF). */
function head(seed: number, response: boolean): string {
  let s = seed;
  const next = (n: number) => ((s = (s * 1103515245 + 12345) >>> 0) >>> 8) % n;
  let text = response ? "HTTP/1.1 200 OK\r\n" : "GET /path?q=1 HTTP/1.1\r\n";
  const count = next(9);
  for (let i = 0; i < count; i++) {
    const line = next(3) === 0 ? LINES[next(LINES.length)]! : LINES[next(7)]!;
    text += line + (next(25) === 0 ? "\n" : "\r\n");
  }
  return text + (next(6) === 0 ? "" : "\r\n") + "body";
}

/** What a parser made of a head: its result (bytes consumed, or the error) and its fields as text. */
function outcome(parser: HeadReader, consumed: number | "invalid" | "incomplete") {
  const fields: string[] = [];
  for (let i = 0; i < parser.fieldCount; i++) {
    const o = i * FIELD_STRIDE;
    const f = parser.fields;
    const name = parser.headBuf.toString("latin1", f[o + F_LINE]!, f[o + F_NAME_END]!);
    fields.push(`${name}=${parser.value(i)} kind ${f[o + F_KIND]} line ${f[o + F_LINE_END]! - f[o + F_LINE]!}`);
  }
  return { consumed, error: parser.error, fields: consumed === "incomplete" ? [] : fields };
}

/** The head in one chunk, after `skip` bytes of the chunk already consumed (a pipelined request before it). */
function whole(parser: HeadReader, bytes: Buffer, skip = 0) {
  const chunk = Buffer.concat([Buffer.alloc(skip, 0x41), bytes]);
  const r = parser.execute(chunk, skip);
  return outcome(parser, r === INVALID ? "invalid" : r === NEED_MORE ? "incomplete" : r - skip);
}

function trickled(parser: HeadReader, bytes: Buffer, cut?: number) {
  const cuts = cut === undefined ? Array.from({ length: bytes.length }, (_, i) => i) : [0, cut];
  for (let k = 0; k < cuts.length; k++) {
    const from = cuts[k]!;
    const to = k + 1 < cuts.length ? cuts[k + 1]! : bytes.length;
    const r = parser.execute(bytes.subarray(from, to), 0);
    if (r === INVALID) return outcome(parser, "invalid");
    if (r !== NEED_MORE) return outcome(parser, from + r);
  }
  return outcome(parser, "incomplete");
}

describe("HeadReader: one pass per field line answers as line by line does", () => {
  for (const response of [false, true]) {
    it(`${response ? "responses" : "requests"}: in one chunk, byte by byte and cut in two, every generated head gives the same end, error and fields`, () => {
      const limits = { maxHeadBytes: 160, maxFields: 5, allowBareLf: response };
      const make = () => (response ? new ResponseParser(limits) : new RequestParser(limits));
      const seen = new Set<string>();
      for (let seed = 1; seed <= 1500; seed++) {
        const bytes = Buffer.from(head(seed, response), "latin1");
        const one = whole(make(), bytes);
        seen.add(one.consumed === "invalid" ? `error ${one.error}` : String(typeof one.consumed));
        expect([seed, trickled(make(), bytes)]).toEqual([seed, one]);
        expect([seed, whole(make(), bytes, 1 + (seed % 7))]).toEqual([seed, one]);
        expect([seed, trickled(make(), bytes, 1 + (seed % (bytes.length - 1)))]).toEqual([seed, one]);
      }
      // The generated heads reach the complete case and each refusal the mix allows.
      expect(seen.has("number")).toBe(true);
      expect(seen.size).toBeGreaterThanOrEqual(response ? 5 : 9);
    });
  }
});
