import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAB, PEER_ECHO_BACKEND, createNetnsLab, netnsRefusal, nodeInNetns, type NetnsChild, type NetnsLab } from "../test-support/netns";
import { bundleTransparentProbe, type ProbeResult } from "../test-support/transparent-probe";
import { skipLoudly } from "../test-support/skip-loudly";

/**
 * connectTransparent / openTransparentUdpSocket for a client that is NOT on the engine's host: three
 * network namespaces (client, engine, backend), the backend's default route via the engine, and the policy
 * routing that hands the replies to the engine's transparent socket. The probe runs in the engine
 * namespace with the client namespace's address as source; the backend answers with the peer it saw.
 */

const refusal = netnsRefusal();
const skip = skipLoudly("transparent-netns.test", refusal === null ? null : `this machine refused network namespaces: ${refusal}`);

const BACKEND_PORT = 7000;

describe.skipIf(skip)("transparent mode across network namespaces", () => {
  let lab: NetnsLab | null = null;
  let backend: NetnsChild | null = null;
  let dir = "";
  let probe = "";

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "elb-transparent-netns-"));
    probe = await bundleTransparentProbe(dir);
    lab = createNetnsLab();
    backend = nodeInNetns(lab.backend, ["-e", PEER_ECHO_BACKEND, `${LAB.backend},${LAB.backend6}`, String(BACKEND_PORT)]);
    await backend.line((l) => l === "ready");
  });
  afterAll(async () => {
    await backend?.stop();
    lab?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs the probe in the engine namespace. */
  async function probeFromEngine(mode: "tcp" | "udp", source: string, timeoutMs = 3000, host: string = LAB.backend): Promise<ProbeResult> {
    const child = nodeInNetns(lab!.engine, [probe, JSON.stringify({ mode, source, host, port: BACKEND_PORT, timeoutMs })]);
    try {
      return JSON.parse(await child.line((l) => l.startsWith("{"), timeoutMs + 5000)) as ProbeResult;
    } finally {
      await child.stop();
    }
  }

  it("TCP: the backend's accepted socket shows the client namespace's address (IP_TRANSPARENT bind, replies routed back)", async () => {
    const result = await probeFromEngine("tcp", LAB.client);
    expect(result).toMatchObject({ ok: true, local: LAB.client });
    expect((result as { answer: string }).answer).toMatch(new RegExp(`^${LAB.client.replaceAll(".", "\\.")} \\d+$`));
  });

  it("UDP: the backend sees datagrams from the client namespace's address and its reply reaches the engine's socket", async () => {
    const result = await probeFromEngine("udp", LAB.client);
    expect(result).toMatchObject({ ok: true, local: LAB.client });
    expect((result as { answer: string }).answer).toMatch(new RegExp(`^${LAB.client.replaceAll(".", "\\.")} \\d+$`));
  });

  it("IPv6 (IPV6_TRANSPARENT), TCP and UDP: the backend sees the client namespace's IPv6 address", async () => {
    for (const mode of ["tcp", "udp"] as const) {
      const result = await probeFromEngine(mode, LAB.client6, 3000, LAB.backend6);
      expect(result, mode).toMatchObject({ ok: true, local: LAB.client6 });
      expect((result as { answer: string }).answer, mode).toMatch(new RegExp(`^${LAB.client6} \\d+$`));
    }
  });

  it("an address of the engine's own host takes the plain bind: the backend sees that address", async () => {
    const result = await probeFromEngine("tcp", LAB.engineBackendSide);
    expect(result).toMatchObject({ ok: true });
    expect((result as { answer: string }).answer).toMatch(new RegExp(`^${LAB.engineBackendSide.replaceAll(".", "\\.")} \\d+$`));
  });

  it("without the policy rule the backend's SYN-ACK is not delivered to the socket: the connection never completes", async () => {
    lab!.policyRule(false);
    try {
      const result = await probeFromEngine("tcp", LAB.client, 1500);
      expect(result).toMatchObject({ ok: false, code: "ETIMEDOUT" });
    } finally {
      lab!.policyRule(true);
    }
  });
});
