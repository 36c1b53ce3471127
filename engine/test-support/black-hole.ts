import net from "node:net";
import { Worker } from "node:worker_threads";

/**
 * A loopback address:port that black-holes TCP connects (SYNs dropped, connect hangs), for
 * connect-timeout tests. A worker thread listens with backlog 1 and then blocks its event loop
 * (Atomics.wait), so it never accepts; `fill` connections complete into the kernel's accept queue
 * until it is full, and Linux then drops every further SYN. `close()` wakes the worker and ends it.
 */
export interface BlackHole {
  port: number;
  close(): Promise<void>;
}

const WORKER = `
const net = require("node:net");
const { parentPort, workerData } = require("node:worker_threads");
const server = net.createServer();
server.listen({ host: "127.0.0.1", port: 0, backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  const flag = new Int32Array(workerData);
  Atomics.wait(flag, 0, 0, 60000); // the loop never runs again: nothing is accepted (bounded: 60 s)
  process.exit(0);
});
`;

/** Starts a black hole on 127.0.0.1 (bounded: the worker ends by itself after 60 s). */
export async function startBlackHole(): Promise<BlackHole> {
  const shared = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER, { eval: true, workerData: shared });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  const fillers: net.Socket[] = [];
  // Fill the accept queue: connects that complete; once one hangs, SYNs are being dropped.
  for (let i = 0; i < 8; i++) {
    const socket = net.connect(port, "127.0.0.1");
    socket.on("error", () => {});
    fillers.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 300);
      socket.once("connect", () => (clearTimeout(timer), resolve(true)));
    });
    if (!connected) break;
  }
  return {
    port,
    async close() {
      for (const s of fillers) s.destroy();
      Atomics.store(new Int32Array(shared), 0, 1);
      Atomics.notify(new Int32Array(shared), 0);
      await worker.terminate();
    },
  };
}
