import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfigRows } from "../load-config-rows";
import { createServiceTestBed, type ServiceTestBed } from "../../services/test-support";
import { createTestLoadBalancer, newListenerInput } from "../../services/listener/test-fixtures";
import { createListener } from "../../services/listener/create-listener";
import { updateListener } from "../../services/listener/update-listener";
import { updatePool } from "../../services/pool/update-pool";
import { DEFAULT_CLIENT_IP } from "@/engine/protocol/snapshot.types";
import type { ConfigDiagnostic } from "./diagnostic";
import { compileSnapshot } from "./index";
import { listenerRow, poolRow, validRows } from "./test-rows";

/** Client IP settings in the compiled snapshot (issue 10): `SnapshotListener.clientIp`, `SnapshotPool.transferClientIp`. */
const compile = (rows = validRows()) => compileSnapshot(rows, 1, "epoch");

describe("compiled from rows", () => {
  it("adds neither clientIp nor transferClientIp while everything is default (same bytes, same hash)", () => {
    const { snapshot, diagnostics } = compile();
    expect(diagnostics).toEqual([]);
    const json = JSON.stringify(snapshot);
    expect(json).not.toContain("clientIp");
    expect(json).not.toContain("transferClientIp");
    // Stored values a protocol does not use change nothing either: an HTTP field on TCP, a TCP field on UDP, a group's transport without Transfer Client IP Address.
    const rows = validRows();
    Object.assign(rows.listeners.find((l) => l.id === "l-bare")!, { xForwardedForMode: "REMOVE", xRealIp: true, transferClientIp: false });
    Object.assign(rows.listeners.find((l) => l.id === "l-udp")!, { proxyProtocolAccept: true, trustedIps: ["10.0.0.1"] });
    rows.pools.find((p) => p.id === "p-udp")!.clientIpTransport = "PROXY_V2";
    expect(compile(rows).snapshot.hash).toBe(snapshot.hash);
  });

  it("compiles Proxy Protocol and Trusted IPs of a TCP listener, and every HTTP field of an HTTP listener", () => {
    const rows = validRows();
    Object.assign(rows.listeners.find((l) => l.id === "l-bare")!, { proxyProtocolAccept: true, trustedIps: ["10.0.0.0/8", "2001:db8::/32"], xRealIp: true });
    const { xForwardedForMode, ...sameNames } = {
      trustedIps: ["127.0.0.0/8"],
      xForwardedForMode: "REPLACE",
      xForwardedProto: false,
      xForwardedPort: true,
      xForwardedHost: true,
      xRealIp: true,
      realIpHeader: "X_FORWARDED_FOR",
      realIpRecursive: true,
    } as const;
    Object.assign(rows.listeners.find((l) => l.id === "l-http")!, { xForwardedForMode, ...sameNames });
    const { snapshot, diagnostics } = compile(rows);
    expect(diagnostics).toEqual([]);
    expect(snapshot.listeners.find((l) => l.id === "l-bare")!.clientIp).toEqual({ ...DEFAULT_CLIENT_IP, proxyProtocolAccept: true, trustedIps: ["10.0.0.0/8", "2001:db8::/32"] });
    // Every HTTP field as entered; the column xForwardedForMode is the engine's xForwardedFor.
    expect(snapshot.listeners.find((l) => l.id === "l-http")!.clientIp).toEqual({ proxyProtocolAccept: false, xForwardedForTrustedOnly: false, xForwardedFor: "REPLACE", ...sameNames });
    expect(Object.keys(snapshot.listeners.find((l) => l.id === "l-http")!).at(-1)).toBe("clientIp");
    expect(snapshot.hash).not.toBe(compile().snapshot.hash);
  });

  it("gives a group its transport only as the default group of a TCP/UDP listener with Transfer Client IP Address on", () => {
    const rows = validRows();
    rows.pools.push(poolRow("p-tcp", "lb-a", { clientIpTransport: "PROXY_V1" }), poolRow("p-spare", "lb-a", { clientIpTransport: "PROXY_V2" }));
    Object.assign(rows.listeners.find((l) => l.id === "l-bare")!, { defaultPoolId: "p-tcp", transferClientIp: true });
    Object.assign(rows.listeners.find((l) => l.id === "l-udp")!, { transferClientIp: true });
    // An HTTP listener with the flag stored (the services refuse it) sends nothing to its group.
    Object.assign(rows.listeners.find((l) => l.id === "l-http")!, { transferClientIp: true });
    rows.pools.find((p) => p.id === "p-http")!.clientIpTransport = "PROXY_V2";
    const { snapshot, diagnostics } = compile(rows);
    expect(diagnostics).toEqual([]);
    const transfer = Object.fromEntries(snapshot.pools.map((p) => [p.id, p.transferClientIp]));
    expect(transfer).toEqual({ "p-tcp": "PROXY_V1", "p-udp": "TRANSPARENT", "p-http": undefined, "p-spare": undefined });
    expect(Object.keys(snapshot.pools.find((p) => p.id === "p-tcp")!).at(-1)).toBe("transferClientIp");
    expect(snapshot.pools.find((p) => p.id === "p-spare")).not.toHaveProperty("transferClientIp");
  });

  it("drops PROXY protocol v1 on a UDP group and unusable stored Trusted IPs, with a diagnostic each", () => {
    const rows = validRows();
    rows.pools.find((p) => p.id === "p-udp")!.clientIpTransport = "PROXY_V1";
    Object.assign(rows.listeners.find((l) => l.id === "l-udp")!, { transferClientIp: true });
    rows.listeners.push(listenerRow("l-pp", "lb-a", { port: 9100, proxyProtocolAccept: true, trustedIps: ["10.0.0.1", "bogus", 7, "10.0.0.1"] as unknown as string[] }));
    const { snapshot, diagnostics } = compile(rows);
    expect(snapshot.pools.find((p) => p.id === "p-udp")).not.toHaveProperty("transferClientIp");
    expect(snapshot.listeners.find((l) => l.id === "l-pp")!.clientIp?.trustedIps).toEqual(["10.0.0.1"]);
    expect(diagnostics.map((d: ConfigDiagnostic) => `${d.kind}:${d.id}: ${d.message}`)).toEqual([
      'listener:l-pp: its trusted IP "10.0.0.1" is stored twice; that entry is left out',
      'listener:l-pp: its trusted IP "bogus" is not a usable address or CIDR block; that entry is left out',
      "listener:l-pp: its trusted IP 7 is not a usable address or CIDR block; that entry is left out",
      "pool:p-udp: its Client IP Transport PROXY protocol v1 cannot carry UDP; Transfer Client IP Address of listener listener-l-udp is left out (members see the load balancer's address)",
    ]);
  });
});

describe("compiled from the database (services → rows → snapshot)", () => {
  let bed: ServiceTestBed;
  beforeAll(async () => {
    bed = await createServiceTestBed();
  });
  afterAll(async () => {
    await bed?.close();
  });
  const snapshot = async () => compileSnapshot(await loadConfigRows(bed.ctx.db), 1, "test-epoch").snapshot;

  it("Transfer Client IP Address with PROXY protocol v2, Proxy Protocol accept, and back to the defaults' hash", async () => {
    const lb = await createTestLoadBalancer(bed, "elb-compile-client-ip");
    const tcp = await createListener(bed.ctx, newListenerInput(lb.id, "TCP", 7000, { pool: { mode: "new", name: "pp-group", algorithm: "ROUND_ROBIN", clientIpTransport: "PROXY_V2" } }));
    const http = await createListener(bed.ctx, newListenerInput(lb.id, "HTTP", 8000));
    const untouched = await snapshot();
    expect(untouched.listeners.find((l) => l.id === tcp.id)).not.toHaveProperty("clientIp");
    expect(untouched.listeners.find((l) => l.id === http.id)).not.toHaveProperty("clientIp");
    expect(untouched.pools.find((p) => p.id === tcp.pool!.id)).not.toHaveProperty("transferClientIp");

    await updateListener(bed.ctx, { id: tcp.id, transferClientIp: true, trustedIps: "127.0.0.0/8", proxyProtocolAccept: true });
    await updateListener(bed.ctx, { id: http.id, xForwardedForMode: "REPLACE", xRealIp: true });
    let compiled = await snapshot();
    expect(compiled.pools.find((p) => p.id === tcp.pool!.id)!.transferClientIp).toBe("PROXY_V2");
    expect(compiled.listeners.find((l) => l.id === tcp.id)!.clientIp).toEqual({ ...DEFAULT_CLIENT_IP, proxyProtocolAccept: true, trustedIps: ["127.0.0.0/8"] });
    expect(compiled.listeners.find((l) => l.id === http.id)!.clientIp).toEqual({ ...DEFAULT_CLIENT_IP, xForwardedFor: "REPLACE", xRealIp: true });

    await updatePool(bed.ctx, { id: tcp.pool!.id, clientIpTransport: "PROXY_V1" });
    compiled = await snapshot();
    expect(compiled.pools.find((p) => p.id === tcp.pool!.id)!.transferClientIp).toBe("PROXY_V1");

    // Everything back to the defaults (the group keeps v1, unused without Transfer Client IP Address): the hash is the untouched one.
    await updatePool(bed.ctx, { id: tcp.pool!.id, clientIpTransport: "PROXY_V2" });
    await updateListener(bed.ctx, { id: tcp.id, transferClientIp: false, proxyProtocolAccept: false, trustedIps: [] });
    await updateListener(bed.ctx, { id: http.id, xForwardedForMode: "APPEND", xRealIp: false });
    expect((await snapshot()).hash).toBe(untouched.hash);
  });
});
