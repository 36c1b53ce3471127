import { once } from "node:events";
import net from "node:net";
import tls from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { createTestPki } from "../test-support/test-certificates";
import { directFd, writeLatin1, writeLatin1Bytes } from "./direct-write";

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A connected pair on loopback: `writer` (client side) and `reader` (accepted, paused until asked). */
async function pair(): Promise<{ writer: net.Socket; reader: net.Socket }> {
  const server = net.createServer({ pauseOnConnect: true });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const accepted = once(server, "connection") as Promise<[net.Socket]>;
  const writer = net.connect((server.address() as net.AddressInfo).port, "127.0.0.1");
  await once(writer, "connect");
  const [reader] = await accepted;
  closers.push(() => {
    writer.destroy();
    reader.destroy();
    server.close();
  });
  return { writer, reader };
}

/** Everything `reader` receives until `writer` ends, as latin1. */
async function readAll(reader: net.Socket): Promise<string> {
  const chunks: Buffer[] = [];
  reader.on("data", (c: Buffer) => chunks.push(c));
  reader.resume();
  await once(reader, "end");
  return Buffer.concat(chunks).toString("latin1");
}

/** Counts the writer's calls of socket.write (a direct send makes none). */
function countWrites(socket: net.Socket): { calls: number } {
  const counter = { calls: 0 };
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  (socket as { write: unknown }).write = (...args: unknown[]) => {
    counter.calls++;
    return write(...args);
  };
  return counter;
}

describe("writeLatin1", () => {
  it("sends on the descriptor itself when the socket holds nothing: Node's write is not called", async () => {
    const { writer, reader } = await pair();
    const fd = directFd(writer);
    expect(fd).toBeGreaterThanOrEqual(0);
    const writes = countWrites(writer);
    expect(writeLatin1(writer, fd, "GET / HTTP/1.1\r\n\r\n")).toBe(true);
    expect(writeLatin1(writer, fd, "caf\u00e9 \u00ff")).toBe(true); // latin1: one byte per char
    expect(writes.calls).toBe(0);
    expect(writer.writableLength).toBe(0);
    const received = readAll(reader);
    writer.end();
    expect(await received).toBe("GET / HTTP/1.1\r\n\r\ncaf\u00e9 \u00ff");
  });

  it("keeps the order of bytes Node holds: while corked, a write goes behind them", async () => {
    const { writer, reader } = await pair();
    const fd = directFd(writer);
    writer.cork();
    writer.write("first ", "latin1");
    writeLatin1(writer, fd, "second ");
    expect(writer.writableLength).toBe("first second ".length); // both held by Node, none sent ahead
    writer.uncork();
    writer.cork();
    writeLatin1(writer, fd, "third"); // nothing queued, but corked: held too
    expect(writer.writableLength).toBe("third".length);
    writer.uncork();
    const received = readAll(reader);
    writer.end();
    expect(await received).toBe("first second third");
  });

  it("queues what the kernel did not take and whatever follows it, in order, and reports the backpressure", async () => {
    const { writer, reader } = await pair();
    const fd = directFd(writer);
    // Distinct strings (a counter in each) so that a lost, doubled or reordered piece shows.
    const pieces: string[] = [];
    let full = false;
    for (let i = 0; pieces.length < 400 && !full; i++) {
      const piece = `<${i}>` + String.fromCharCode(97 + (i % 26)).repeat(60_000);
      pieces.push(piece);
      full = !writeLatin1(writer, fd, piece);
    }
    expect(full).toBe(true); // the socket buffers filled: Node holds the rest
    expect(writer.writableLength).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      const piece = `[after ${i}]`;
      pieces.push(piece);
      expect(writeLatin1(writer, fd, piece)).toBe(false);
    }
    // Once the reader takes bytes, the kernel has room again before Node flushes what it holds: a write
    // made then must still go behind those bytes.
    const chunks: Buffer[] = [];
    let more = 0;
    const written = new Promise<void>((resolve) => {
      reader.on("data", (c: Buffer) => {
        chunks.push(c);
        if (more === 5) return;
        const piece = `[while reading ${more++}]`;
        pieces.push(piece);
        writeLatin1(writer, fd, piece);
        if (more === 5) resolve();
      });
    });
    reader.resume();
    await written;
    writer.end();
    await once(reader, "end");
    const text = Buffer.concat(chunks).toString("latin1");
    expect(text.length).toBe(pieces.join("").length);
    expect(text === pieces.join("")).toBe(true);
  });

  it("fails the socket with the send's own error, as Node's write does: a reset is ECONNRESET (no throw, no SIGPIPE)", async () => {
    // The accepted side writes: it was handed over paused and never reads, so only the write finds the reset.
    const { writer: peer, reader: writer } = await pair();
    const fd = directFd(writer);
    const failed = once(writer, "error");
    peer.resetAndDestroy();
    await new Promise((r) => setTimeout(r, 50)); // the RST arrives
    expect(() => writeLatin1(writer, fd, "into a reset connection")).not.toThrow();
    const [err] = (await failed) as [NodeJS.ErrnoException];
    // The kernel reports the reset to the first send only; a second write (through Node) would say EPIPE.
    expect(err.code).toBe("ECONNRESET");
    expect(err.syscall).toBe("write");
    expect(writer.destroyed).toBe(true);
  });

  it("has no descriptor for a TLS socket: its writes are encrypted by Node", async () => {
    const pki = await createTestPki();
    closers.push(() => pki.cleanup());
    const leaf = await pki.server({ commonName: "direct.example.test" });
    const server = tls.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (s) => s.end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const client = tls.connect({ port: (server.address() as net.AddressInfo).port, host: "127.0.0.1", rejectUnauthorized: false });
    closers.push(() => {
      client.destroy();
      server.close();
    });
    await once(client, "secureConnect");
    expect(directFd(client)).toBe(-1);
  });
});

describe("writeLatin1Bytes", () => {
  it("sends a head and bytes of a read buffer in one go, on the descriptor: Node's write is not called", async () => {
    const { writer, reader } = await pair();
    const fd = directFd(writer);
    const writes = countWrites(writer);
    const shared = Buffer.from("xxHELLO, bodyyy");
    expect(writeLatin1Bytes(writer, fd, "HEAD\r\n\r\n", shared, 2, 13)).toBe(true);
    expect(writeLatin1Bytes(writer, fd, "", shared, 7, 11)).toBe(true); // bytes alone
    expect(writeLatin1Bytes(writer, fd, "tail", shared, 0, 0)).toBe(true); // head alone
    expect(writes.calls).toBe(0);
    const received = readAll(reader);
    writer.end();
    expect(await received).toBe("HEAD\r\n\r\nHELLO, body, botail");
  });

  // Large heads with one byte after them: the kernel stops inside a head; small heads before large bytes: inside the bytes.
  it.each([
    ["a head", 60_000, 1],
    ["the bytes", 20, 150_000],
  ])("copies what must wait: the kernel's remainder (inside %s) and whatever follows it", async (_, headSize, byteSize) => {
    const { writer, reader } = await pair();
    const fd = directFd(writer);
    const expected: string[] = [];
    const shared = Buffer.alloc(200_000);
    let full = false;
    for (let i = 0; i < 400 && !full; i++) {
      const head = `<head ${i}>`.padEnd(headSize, String.fromCharCode(65 + (i % 26)));
      shared.fill(48 + (i % 10), 0, byteSize + 10);
      full = !writeLatin1Bytes(writer, fd, head, shared, 10, 10 + byteSize);
      expected.push(head + shared.toString("latin1", 10, 10 + byteSize));
    }
    expect(full).toBe(true);
    for (let i = 0; i < 3; i++) {
      shared.write(`[after ${i}]`, 0, "latin1");
      writeLatin1Bytes(writer, fd, `<h${i}>`, shared, 0, 9);
      expected.push(`<h${i}>` + shared.toString("latin1", 0, 9));
      writeLatin1Bytes(writer, fd, "", shared, 0, 150_000); // large, after the head-less small one
      expected.push(shared.toString("latin1", 0, 150_000));
    }
    shared.fill(0x21); // the caller's buffer is reused at once: what waits must have been copied
    const received = readAll(reader);
    writer.end();
    const text = await received;
    const want = expected.join("");
    expect(text.length).toBe(want.length);
    expect(text === want).toBe(true);
  });
});
