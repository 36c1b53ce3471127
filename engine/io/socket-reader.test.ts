import net from "node:net";
import { describe, expect, it } from "vitest";
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
