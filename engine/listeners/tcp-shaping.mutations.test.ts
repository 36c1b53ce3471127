import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { shadow, sleep, swallowDrains } from "../test-support/socket-shadows";
import { TokenBucket } from "../limits/token-bucket";
import { createConnectionContext } from "../observe/connection-context";
import { NOOP_OBSERVER } from "../observe/noop-observer";
import type { ListenerBinding } from "../observe/observer.types";
import { createPoolRuntime } from "../pools/pool-runtime";
import { listener, member, pool } from "../test-support/fixtures";
import { createTcpHandler } from "./tcp";

/**
 * The TCP session's side of bandwidth shaping at moments real sockets rarely produce on their own:
 * the backend's FIN seen while bytes are held (Node stops reading a paused plain socket at once, so the
 * test emits the 'end' itself, as a TLS backend socket could): the held bytes reach the client before
 * its FIN; and a hold that ends while the client's buffer is full (PAUSE_WRITE and PAUSE_SHAPE compose:
 * the backend resumes only when neither holds). White-box: the test finds the session and drives those
 * events on its real sockets (127.0.0.1, port 0).
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What the test reaches into (private fields of TcpSession / ShapedWriter). */
interface Inside {
  client: net.Socket;
  backend: net.Socket | null;
  shaper: { holding: boolean } | null;
  context: { bytesOut: number };
}

/**
 * A TCP handler on a limited address (1 Mbit/s: 16 KiB burst, then 125 bytes/ms) in front of a
 * backend that writes `first` at once and `second` 100 ms later (then ends when `end`), and one client.
 */
async function setup(first: Buffer, second: Buffer, end: boolean) {
  const backendSockets = new Set<net.Socket>();
  const backend = net.createServer({ allowHalfOpen: true }, (s) => {
    backendSockets.add(s);
    s.on("error", () => {});
    s.write(first);
    setTimeout(() => (end ? s.end(second) : s.write(second)), 100);
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => {
    for (const s of backendSockets) s.destroy();
    return new Promise<void>((resolve) => backend.close(() => resolve()));
  });

  const runtime = createPoolRuntime(pool("p", [member("m", (backend.address() as AddressInfo).port)]));
  const handler = createTcpHandler({ listener: listener("t", 0, "p"), pool: runtime });
  const binding: ListenerBinding = { listenerId: "t", localAddress: "127.0.0.1", localPort: 0, bandwidth: new TokenBucket(1), observer: NOOP_OBSERVER };
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) =>
    handler.handle(socket, createConnectionContext(binding, socket.remoteAddress, socket.remotePort)),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(async () => {
    await handler.drain(100);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const sessions = (handler as unknown as { sessions: Set<Inside> }).sessions;

  const client = net.connect((server.address() as AddressInfo).port, "127.0.0.1");
  cleanups.push(() => client.destroy());
  const chunks: Buffer[] = [];
  client.on("data", (c: Buffer) => chunks.push(c));
  client.on("error", () => {});
  const ended = new Promise<boolean>((resolve) => {
    client.on("end", () => resolve(true));
    setTimeout(() => resolve(false), 5000).unref();
  });
  /** The session, once its shaper holds backend bytes. */
  const whenHolding = async (): Promise<Inside> => {
    for (let i = 0; i < 1500; i++) {
      for (const s of sessions) if (s.shaper?.holding === true && s.backend !== null) return s;
      await sleep(2);
    }
    throw new Error("never held");
  };
  return { whenHolding, ended, received: () => Buffer.concat(chunks) };
}

describe("TCP shaping: the backend's end and a full client buffer during a hold", () => {
  it("delivers the held bytes, then ends the client", async () => {
    const first = Buffer.alloc(1024, 0x61);
    const second = Buffer.alloc(40 * 1024, 0x62); // beyond what is left of the burst: held ≈ 200 ms
    const { whenHolding, ended, received } = await setup(first, second, false);
    const session = await whenHolding();
    session.backend!.emit("end"); // FIN seen while the second chunk is held
    expect(await ended).toBe(true);
    expect(received()).toEqual(Buffer.concat([first, second]));
  });

  it("a hold that ends while the client's buffer is full leaves the backend paused until the client drains", async () => {
    const first = Buffer.alloc(1024, 0x61);
    const second = Buffer.alloc(100 * 1024, 0x62);
    const { whenHolding, ended, received } = await setup(first, second, true);
    const session = await whenHolding();
    // From now on the client's buffer stays full (as a stalled client's would): every write answers
    // false, and the drain does not come until the test lets it.
    const client = session.client;
    const write = client.write.bind(client) as (...args: unknown[]) => boolean;
    const undoWrite = shadow(client, "write", { value: (...args: unknown[]) => (write(...args), false) });
    const undoDrains = swallowDrains(client);
    for (let i = 0; i < 1500 && session.shaper!.holding; i++) await sleep(2);
    expect(session.shaper!.holding).toBe(false); // the hold ended: its bytes went to the client
    const sent = session.context.bytesOut;
    await sleep(100);
    // ...but the backend waits for the drain: nothing more was read (no new hold, no byte sent)
    expect([session.backend!.isPaused(), session.shaper!.holding, session.context.bytesOut]).toEqual([true, false, sent]);
    undoWrite();
    undoDrains();
    client.emit("drain");
    expect(await ended).toBe(true);
    expect(received()).toEqual(Buffer.concat([first, second]));
  });
});
