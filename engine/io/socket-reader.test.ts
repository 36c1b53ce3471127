import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { readInto, sharedBufferReads } from "./socket-reader";

describe("readInto", () => {
  it("delivers accepted-socket reads through the shared buffer, with pause/resume and end", async () => {
    expect(sharedBufferReads).toBe(true); // Node 20: the fast path is in use
    const buffer = Buffer.alloc(1024);
    const received: string[] = [];
    let serverSocket!: net.Socket;
    const server = net.createServer({ pauseOnConnect: true }, (socket) => {
      serverSocket = socket;
      readInto(socket, buffer, (nread, buf) => {
        expect(buf.buffer).toBe(buffer.buffer);
        received.push(buf.toString("latin1", 0, nread));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const client = net.connect((server.address() as net.AddressInfo).port, "127.0.0.1");
    await new Promise((r) => client.once("connect", r));
    client.write("one");
    while (received.length < 1) await new Promise((r) => setTimeout(r, 5));
    serverSocket.pause();
    client.write("two");
    await new Promise((r) => setTimeout(r, 50));
    expect(received).toEqual(["one"]);
    const ended = new Promise<void>((r) => serverSocket.once("end", () => r()));
    serverSocket.resume();
    client.end();
    await ended;
    expect(received.join("")).toBe("onetwo");
    serverSocket.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
});

describe("readInto after bytes were put back (PROXY header reader)", () => {
  it("hands the buffered bytes over first, in order, then reads into the shared buffer; end still arrives", async () => {
    const buffer = Buffer.alloc(1024);
    const received: string[] = [];
    const shared: boolean[] = [];
    let serverSocket!: net.Socket;
    const ready = new Promise<void>((resolve) => {
      const server = net.createServer({ pauseOnConnect: true }, (socket) => {
        serverSocket = socket;
        socket.once("data", (first: Buffer) => {
          // What a header reader does: stop, put the bytes after the header back, hand the socket on.
          socket.pause();
          socket.unshift(first.subarray(first.indexOf(0x7c) + 1));
          readInto(socket, buffer, (nread, buf) => {
            shared.push(buf.buffer === buffer.buffer);
            received.push(buf.toString("latin1", 0, nread));
          });
          resolve();
        });
        socket.resume();
      });
      servers.push(server);
      server.listen(0, "127.0.0.1");
    });
    await new Promise<void>((r) => servers[0]!.once("listening", () => r()));
    const client = net.connect((servers[0]!.address() as net.AddressInfo).port, "127.0.0.1");
    await new Promise((r) => client.once("connect", r));
    client.write("HEADER|one");
    await ready;
    while (received.length < 1) await new Promise((r) => setTimeout(r, 5));
    client.write("two");
    while (received.join("") !== "onetwo") await new Promise((r) => setTimeout(r, 5));
    const ended = new Promise<void>((r) => serverSocket.once("end", () => r()));
    client.end();
    await ended;
    expect(received[0]).toBe("one");
    expect(shared[0]).toBe(false); // the put-back chunk itself
    expect(shared.slice(1).every(Boolean)).toBe(true); // later reads: the shared buffer, no 'data' fallback
    expect(serverSocket.listenerCount("data")).toBe(0);
    serverSocket.destroy();
    client.destroy();
  });
});

const servers: net.Server[] = [];
afterAll(async () => {
  for (const server of servers) await new Promise<void>((r) => server.close(() => r()));
});
