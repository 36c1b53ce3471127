import "server-only";
import dgram from "node:dgram";
import type { BackendView } from "./client-ip-test.types";
import type { EchoTarget } from "./echo-target.types";
import { firstValue } from "./first-value";
import { payloadText, splitProxyHeader } from "./received-bytes";
import { TEST_ENGINE_ADDRESS } from "./test-addresses";

/** What each datagram gets back (the test's client waits for it). */
const REPLY = Buffer.from("client-ip-test echo target: received\n");

/**
 * A UDP echo target on 127.0.0.1: the first datagram is the record (its source address:port, the PROXY
 * v2 header it starts with, the payload after it); every datagram is answered to its sender.
 */
export async function startDatagramEchoTarget(): Promise<EchoTarget> {
  const first = firstValue<BackendView>();
  let received: BackendView | null = null;
  const socket = dgram.createSocket("udp4");
  socket.on("message", (message, remote) => {
    const split = splitProxyHeader(message, true)!;
    const view: BackendView = {
      source: { address: remote.address, port: remote.port },
      proxyHeader: split.proxyHeader,
      proxyHeaderProblem: split.proxyHeaderProblem,
      requestLine: null,
      headers: [],
      payload: payloadText(split.rest),
    };
    if (first.settle(view)) received = view;
    socket.send(REPLY, remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(0, TEST_ENGINE_ADDRESS, () => resolve());
  });
  socket.on("error", () => {});
  return {
    endpoint: { address: TEST_ENGINE_ADDRESS, port: socket.address().port },
    get received() {
      return received;
    },
    whenReceived: first.promise,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
