import http2 from "node:http2";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HpackDecoder } from "./hpack-decoder";
import { HpackEncoder } from "./hpack-encoder";

/**
 * Interop with nghttp2 (node:http2's HPACK): a node:http2 *client* talks to a bare TCP server that
 * speaks just enough HTTP/2 — SETTINGS, SETTINGS ACK, one HEADERS frame per request carrying a block
 * from our encoder. The client's own HEADERS blocks (nghttp2: Huffman, dynamic table, never-indexed
 * fields) go through our decoder, so both directions are checked against an independent codec.
 */

const PREFACE_LENGTH = 24;
const HEADERS = 1;
const SETTINGS = 4;
const END_STREAM = 0x1;
const END_HEADERS = 0x4;
const PADDED = 0x8;
const PRIORITY = 0x20;
const ACK = 0x1;

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId, 5);
  return Buffer.concat([head, payload]);
}

interface TinyServer {
  port: number;
  /** Header blocks the client sent, one per request, in order. */
  received: Buffer[];
  /** The response block to send for each request, in order. */
  responses: Buffer[];
  close(): Promise<void>;
}

function startTinyServer(): Promise<TinyServer> {
  const sockets = new Set<net.Socket>();
  const received: Buffer[] = [];
  const responses: Buffer[] = [];
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    socket.write(frame(SETTINGS, 0, 0, Buffer.alloc(0)));
    let input = Buffer.alloc(0);
    let prefaceSeen = false;
    socket.on("data", (chunk: Buffer) => {
      input = Buffer.concat([input, chunk]);
      if (!prefaceSeen) {
        if (input.length < PREFACE_LENGTH) return;
        input = input.subarray(PREFACE_LENGTH);
        prefaceSeen = true;
      }
      while (input.length >= 9) {
        const length = input.readUIntBE(0, 3);
        if (input.length < 9 + length) return;
        const type = input[3]!;
        const flags = input[4]!;
        const streamId = input.readUInt32BE(5) & 0x7fffffff;
        let payload = input.subarray(9, 9 + length);
        input = input.subarray(9 + length);
        if (type === SETTINGS && (flags & ACK) === 0) socket.write(frame(SETTINGS, ACK, 0, Buffer.alloc(0)));
        if (type !== HEADERS) continue;
        if ((flags & END_HEADERS) === 0) throw new Error("this tiny server does not read CONTINUATION");
        if (flags & PADDED) payload = payload.subarray(1, payload.length - payload[0]!);
        if (flags & PRIORITY) payload = payload.subarray(5);
        received.push(Buffer.from(payload));
        const response = responses.shift();
        if (response) socket.write(frame(HEADERS, END_HEADERS | END_STREAM, streamId, response));
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        received,
        responses,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

function request(
  client: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
): Promise<http2.IncomingHttpHeaders & http2.IncomingHttpStatusHeader> {
  return new Promise((resolve, reject) => {
    const stream = client.request(headers, { endStream: true });
    stream.on("response", (responseHeaders) => resolve(responseHeaders));
    stream.on("error", reject);
    stream.resume();
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function connect(): Promise<{ server: TinyServer; client: http2.ClientHttp2Session }> {
  const server = await startTinyServer();
  cleanups.push(() => server.close());
  const client = http2.connect(`http://127.0.0.1:${server.port}`);
  cleanups.push(() => {
    client.destroy();
  });
  client.on("error", () => {});
  return { server, client };
}

describe("HPACK interop with nghttp2 (node:http2 client)", () => {
  it("the client reads the headers our encoder wrote", async () => {
    const { server, client } = await connect();
    const encoder = new HpackEncoder();
    // content-length 0: the stream ends with the HEADERS frame (nghttp2 checks the length against DATA)
    const responses: http2.OutgoingHttpHeaders[] = [
      { ":status": 200, "content-type": "text/plain", "content-length": 0, "set-cookie": ["a=1", "b=2; Path=/"] },
      { ":status": 418, "x-custom-name": "value with spaces", "x-long": "z".repeat(400), server: "elb" },
      { ":status": 404, vary: "accept-encoding", "cache-control": "no-store", date: "Mon, 21 Oct 2013 20:13:21 GMT" },
    ];
    for (const headers of responses) {
      const length = encoder.encode(headers);
      server.responses.push(Buffer.from(encoder.buf.subarray(0, length)));
    }
    const seen = [];
    for (let i = 0; i < responses.length; i++) seen.push(await request(client, { ":path": `/${i}` }));
    expect(seen[0]).toMatchObject({ ":status": 200, "content-type": "text/plain", "content-length": "0", "set-cookie": ["a=1", "b=2; Path=/"] });
    expect(seen[1]).toMatchObject({ ":status": 418, "x-custom-name": "value with spaces", "x-long": "z".repeat(400), server: "elb" });
    expect(seen[2]).toMatchObject({ ":status": 404, vary: "accept-encoding", "cache-control": "no-store", date: "Mon, 21 Oct 2013 20:13:21 GMT" });
  });

  it("our decoder reads the client's blocks: Huffman, dynamic table across requests, never-indexed fields", async () => {
    const { server, client } = await connect();
    const encoder = new HpackEncoder();
    const requests: http2.OutgoingHttpHeaders[] = [];
    for (let i = 0; i < 6; i++) {
      requests.push({
        ":method": i % 2 === 0 ? "GET" : "POST",
        ":path": `/items/${i}?q=${"abc".repeat(i)}`,
        "user-agent": "interop-test/1.0 (x86_64; like Gecko)",
        accept: "*/*",
        "x-same-every-time": "Repeated Value ~!@#$%^&*()",
        "x-changes": `n${i}-${"Q".repeat(i * 40)}`,
        authorization: "Bearer secret-token", // nghttp2 sends this never-indexed
        cookie: `session=${i}`,
      });
      const length = encoder.encode({ ":status": 204 });
      server.responses.push(Buffer.from(encoder.buf.subarray(0, length)));
    }
    for (const headers of requests) await request(client, headers);
    expect(server.received).toHaveLength(requests.length);

    const decoder = new HpackDecoder();
    let sawHuffman = false;
    let sawDynamicIndex = false;
    for (let i = 0; i < requests.length; i++) {
      const block = server.received[i]!;
      const out: string[] = [];
      const size = decoder.decode(block, 0, block.length, out);
      expect(size).toBeGreaterThan(0);
      const fields = new Map<string, string>();
      let total = 0;
      for (let j = 0; j < out.length; j += 2) {
        fields.set(out[j]!, out[j + 1]!);
        total += out[j]!.length + out[j + 1]!.length + 32;
      }
      expect(size).toBe(total);
      for (const [name, value] of Object.entries(requests[i]!)) expect(fields.get(name), name).toBe(value);
      expect(fields.get(":scheme")).toBe("http");
      expect(fields.get(":authority")).toBe(`127.0.0.1:${server.port}`);
      if (i > 0) sawDynamicIndex ||= block.some((octet) => octet >= 0x80 + 62);
      // the first block has no dynamic entries to refer to: a value missing from its raw octets went Huffman-coded
      // (nghttp2 keeps a string raw when Huffman would be longer, as for x-same-every-time's symbols)
      if (i === 0) sawHuffman = !block.includes("interop-test/1.0");
    }
    // the point of the exercise: nghttp2 did use the dynamic table and Huffman strings
    expect(decoder.table.count).toBeGreaterThan(0);
    // nghttp2 sends authorization (and short cookies) never indexed: they must not be in the table
    for (let i = 1; i <= decoder.table.count; i++) expect(["authorization", "cookie"]).not.toContain(decoder.table.nameAt(i));
    expect(sawDynamicIndex).toBe(true);
    expect(sawHuffman).toBe(true);
  });
});
