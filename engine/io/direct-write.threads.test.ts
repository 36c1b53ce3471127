import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";

/**
 * The engine's workers are threads of one process: the addon's sends must not share state between
 * them (its scratch buffer is per thread). Each worker thread sends its own letter through
 * `sendLatin1` / `sendLatin1Bytes` on its own loopback connection, as fast as the kernel takes it; a
 * byte of another thread's letter, or a byte too many or too few, means the threads mixed.
 */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const net = require("node:net");
const native = require(workerData.addon);
const { letter, pieces, size } = workerData;
const piece = letter.repeat(size);
const bytes = Buffer.alloc(size, letter);
const server = net.createServer((socket) => {
  let received = 0, foreign = 0;
  socket.on("data", (chunk) => {
    received += chunk.length;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] !== bytes[0]) foreign++;
  });
  socket.on("end", () => { parentPort.postMessage({ received, foreign }); server.close(); });
});
server.listen(0, "127.0.0.1", () => {
  const client = net.connect(server.address().port, "127.0.0.1", async () => {
    const fd = client._handle.fd;
    for (let i = 0; i < pieces; i++) {
      let sent = -1;
      if (client.writableLength === 0) sent = i % 2 === 0 ? native.sendLatin1(fd, piece) : native.sendLatin1Bytes(fd, "", bytes, 0, size);
      // What the kernel did not take goes through Node; the next piece waits until it is out.
      if (sent < 0) await new Promise((r) => client.write(piece, "latin1", r));
      else if (sent < size) await new Promise((r) => client.write(piece.slice(sent), "latin1", r));
    }
    client.end();
  });
});
`;

describe("direct writes from two worker threads at once", () => {
  it("keep each thread's bytes apart (no shared scratch buffer)", async () => {
    const addon = createRequire(import.meta.url).resolve("elb-native-socket");
    const pieces = 400;
    const size = 60_000;
    const run = (letter: string) =>
      new Promise<{ received: number; foreign: number }>((resolve, reject) => {
        const worker = new Worker(WORKER, { eval: true, workerData: { addon, letter, pieces, size } });
        worker.once("message", (result: { received: number; foreign: number }) => {
          resolve(result);
          void worker.terminate();
        });
        worker.once("error", reject);
      });
    const results = await Promise.all([run("a"), run("b"), run("c")]);
    expect(results).toEqual([0, 1, 2].map(() => ({ received: pieces * size, foreign: 0 })));
  }, 60_000);
});
