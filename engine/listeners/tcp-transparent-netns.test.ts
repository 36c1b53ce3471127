import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineToConsole } from "../protocol/ipc.types";
import type { Snapshot } from "../protocol/snapshot.types";
import { waitFor } from "../test-support/backends";
import { buildEngine } from "../test-support/engine-process";
import { listener, member, pool, snapshot } from "../test-support/fixtures";
import { LAB, PEER_ECHO_BACKEND, createNetnsLab, netnsRefusal, nodeInNetns, type NetnsChild, type NetnsLab } from "../test-support/netns";
import { skipLoudly } from "../test-support/skip-loudly";

/**
 * Black-box transparent mode: the bundled engine runs in the engine namespace of a three-namespace lab
 * (client, engine, backend; the backend's default route via the engine; in the engine namespace the rule
 * `iif e-back lookup 100` + `local 0.0.0.0/0 dev lo table 100` that hands the backend's replies to the
 * engine's socket). A client in the client namespace connects to a TCP listener (and sends to a UDP one)
 * whose group has Transfer Client IP Address = TRANSPARENT; the backend answers with the peer it saw.
 */

const refusal = netnsRefusal();
const skip = skipLoudly("tcp-transparent-netns.test", refusal === null ? null : `this machine refused network namespaces: ${refusal}`);

const BACKEND_PORT = 7000;
const TCP_PORT = 8000;
const UDP_PORT = 8001;

/** A client run in the client namespace: prints the first line (TCP) or datagram (UDP) it gets back. */
const CLIENT = `
const net = require("node:net"), dgram = require("node:dgram");
const [mode, host, port] = [process.argv[1], process.argv[2], Number(process.argv[3])];
setTimeout(() => { console.log("timeout"); process.exit(0); }, 4000);
if (mode === "tcp") {
  const s = net.connect(port, host); let text = "";
  s.setEncoding("utf8").on("data", (d) => { text += d; if (text.includes("\\n")) { console.log("answer " + text.trim()); process.exit(0); } });
  s.on("error", (e) => { console.log("error " + e.code); process.exit(0); });
} else {
  const s = dgram.createSocket("udp4");
  s.on("message", (m) => { console.log("answer " + String(m).trim()); process.exit(0); });
  s.connect(port, host, () => s.send("hello"));
}
`;

/** Escapes an address for a RegExp. */
const literal = (address: string): string => address.replaceAll(".", "\\.");

describe.skipIf(skip)("engine in a network namespace, Transfer Client IP Address = TRANSPARENT", () => {
  let lab: NetnsLab | null = null;
  let backend: NetnsChild | null = null;
  let engine: NetnsChild | null = null;
  let dir = "";
  const messages: EngineToConsole[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "elb-transparent-engine-"));
    const entry = path.join(dir, "main.js");
    await buildEngine(entry);
    lab = createNetnsLab();
    backend = nodeInNetns(lab.backend, ["-e", PEER_ECHO_BACKEND, `${LAB.backend},${LAB.backend6}`, String(BACKEND_PORT)]);
    await backend.line((l) => l === "ready");
    engine = nodeInNetns(lab.engine, [entry], {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "json",
      env: { ...process.env, ELB_ENGINE_STATE_DIR: path.join(dir, "state"), ELB_ENGINE_WORKERS: "1", ELB_ENGINE_EXIT_WITH_PARENT: "1" },
    });
    engine.child.on("message", (m: EngineToConsole) => messages.push(m));
    await waitFor(() => messages.some((m) => m.type === "ready"), 10_000, `engine ready (stderr: ${engine.stderr})`);
  });
  afterAll(async () => {
    await engine?.stop();
    await backend?.stop();
    lab?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  /** Sends `snap` and waits until the engine applied it without errors. */
  async function apply(snap: Snapshot): Promise<void> {
    engine!.child.send({ type: "snapshot", snapshot: snap });
    await waitFor(() => messages.some((m) => m.type === "applied" && m.version === snap.version), 5000, `applied ${snap.version} (stderr: ${engine!.stderr})`);
    expect(messages.find((m) => m.type === "applied" && m.version === snap.version)).toMatchObject({ errors: [] });
  }

  /** The configuration: a TCP and a UDP listener on the engine's client-side address, one group each. */
  function configuration(version: number, transfer: "TRANSPARENT" | null): Snapshot {
    const bindAddresses = [LAB.engineClientSide];
    return snapshot(
      version,
      [listener("tcp", TCP_PORT, "tcp-group", { bindAddresses }), listener("udp", UDP_PORT, "udp-group", { protocol: "UDP", bindAddresses })],
      [
        pool("tcp-group", [member("b", BACKEND_PORT, 1, LAB.backend)], { transferClientIp: transfer }),
        pool("udp-group", [member("b", BACKEND_PORT, 1, LAB.backend)], { protocol: "UDP", transferClientIp: transfer }),
      ],
    );
  }

  /** What the client in the client namespace got back through the listener. */
  async function fromClient(mode: "tcp" | "udp"): Promise<string> {
    const client = nodeInNetns(lab!.client, ["-e", CLIENT, mode, LAB.engineClientSide, String(mode === "tcp" ? TCP_PORT : UDP_PORT)]);
    try {
      return await client.line((l) => /^(answer|error|timeout)/.test(l), 8000);
    } finally {
      await client.stop();
    }
  }

  it("TCP: the backend's accepted socket shows the client namespace's address, not the engine's", async () => {
    await apply(configuration(1, "TRANSPARENT"));
    expect(await fromClient("tcp")).toMatch(new RegExp(`^answer ${literal(LAB.client)} \\d+$`));
  });

  it("UDP: the backend sees the client namespace's address, and its reply reaches the client through the engine", async () => {
    await apply(configuration(2, "TRANSPARENT"));
    expect(await fromClient("udp")).toMatch(new RegExp(`^answer ${literal(LAB.client)} \\d+$`));
  });

  it("with Transfer Client IP Address off the same backend sees the engine's address", async () => {
    await apply(configuration(3, null));
    expect(await fromClient("tcp")).toMatch(new RegExp(`^answer ${literal(LAB.engineBackendSide)} \\d+$`));
    expect(await fromClient("udp")).toMatch(new RegExp(`^answer ${literal(LAB.engineBackendSide)} \\d+$`));
  });
});
