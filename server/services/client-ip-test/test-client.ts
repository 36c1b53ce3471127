import "server-only";
import dgram from "node:dgram";
import net from "node:net";
import tls from "node:tls";
import type { ListenerProtocol } from "@/engine/protocol/snapshot.types";
import type { ClientAnswer, Endpoint } from "./client-ip-test.types";
import { readAnswer } from "./read-answer";
import { TEST_CLIENT_ADDRESS } from "./test-addresses";

/** What the test's client sends, and where. */
export interface TestClientPlan {
  protocol: ListenerProtocol;
  /** The test engine's listener. */
  engine: Endpoint;
  /** Sent first on the connection (the tester as a trusted proxy in front: a PROXY v1 header); null = none. */
  proxyHeader: Buffer | null;
  /** HTTPS: the TLS server name (SNI); null = none. */
  serverName: string | null;
  /** HTTP/HTTPS: the Host header (the listener's own address and port, as a real client names it). */
  host: string;
  /** How long the exchange may take before the client gives up (default 3000 ms). */
  timeoutMs?: number;
}

/** The client's side of a test: where it connected from and what came back. */
export interface TestClientOutcome {
  /** Its own address:port (null when it never got one: connect failed before binding). */
  client: Endpoint | null;
  answer: ClientAnswer;
}

/**
 * Sends one request (HTTP: GET over HTTP/1.1, HTTPS inside TLS without a client certificate), one line
 * (TCP) or one datagram (UDP) to the test engine from TEST_CLIENT_ADDRESS, and reads the answer. Never
 * throws: what went wrong (refused, reset, TLS refusal, no answer in time) is the answer's `problem`.
 */
export function runTestClient(plan: TestClientPlan): Promise<TestClientOutcome> {
  const timeoutMs = plan.timeoutMs ?? 3000;
  return plan.protocol === "UDP" ? sendDatagram(plan.engine, timeoutMs) : sendOnStream(plan, timeoutMs);
}

/** What a TCP client writes. */
const TCP_LINE = `client-ip test from ${TEST_CLIENT_ADDRESS}\n`;

function sendOnStream(plan: TestClientPlan, timeoutMs: number): Promise<TestClientOutcome> {
  const raw = net.connect({ host: plan.engine.address, port: plan.engine.port, localAddress: TEST_CLIENT_ADDRESS });
  let client: Endpoint | null = null;
  raw.once("connect", () => (client = { address: raw.localAddress ?? TEST_CLIENT_ADDRESS, port: raw.localPort ?? 0 }));
  // Queued before anything TLS writes: the header is the connection's first bytes, as a proxy sends it.
  if (plan.proxyHeader) raw.write(plan.proxyHeader);
  const socket =
    plan.protocol === "HTTPS"
      ? tls.connect({ socket: raw, rejectUnauthorized: false, ALPNProtocols: ["http/1.1"], ...(plan.serverName && net.isIP(plan.serverName) === 0 ? { servername: plan.serverName } : {}) })
      : raw;
  const http = plan.protocol === "HTTP" || plan.protocol === "HTTPS";
  socket.write(http ? `GET /client-ip-test HTTP/1.1\r\nHost: ${plan.host}\r\nUser-Agent: elb-client-ip-tester\r\nAccept: */*\r\nConnection: close\r\n\r\n` : TCP_LINE);
  return readAnswer(socket, http, timeoutMs).then((answer) => {
    raw.destroy();
    return { client, answer };
  });
}

function sendDatagram(engine: Endpoint, timeoutMs: number): Promise<TestClientOutcome> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket("udp4");
    let client: Endpoint | null = null;
    const finish = (answer: Partial<ClientAnswer>) => {
      clearTimeout(timer);
      socket.close();
      resolve({ client, answer: { status: null, location: null, text: null, problem: null, ...answer } });
    };
    const timer = setTimeout(() => finish({ problem: `no reply within ${timeoutMs / 1000} s` }), timeoutMs);
    socket.once("error", (error) => finish({ problem: error.message }));
    socket.once("message", (reply) => finish({ text: reply.toString("latin1").slice(0, 200).trimEnd() }));
    socket.bind(0, TEST_CLIENT_ADDRESS, () => {
      const local = socket.address();
      client = { address: local.address, port: local.port };
      socket.send(`client-ip test from ${TEST_CLIENT_ADDRESS}\n`, engine.port, engine.address);
    });
  });
}
