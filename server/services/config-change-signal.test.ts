import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import type { ServiceContext } from "./context";
import { createServiceTestBed, type ServiceTestBed } from "./test-support";
import { observeTransactions } from "./observe-transactions";
import { createLoadBalancer } from "./load-balancer/create-load-balancer";
import { unbindEip } from "./load-balancer/unbind-eip";
import { bindEip } from "./load-balancer/bind-eip";
import { modifyBandwidth } from "./load-balancer/modify-bandwidth";
import { deleteLoadBalancer } from "./load-balancer/delete-load-balancer";
import { createPool } from "./pool/create-pool";
import { updatePool } from "./pool/update-pool";
import { deletePool } from "./pool/delete-pool";
import { createHealthMonitor } from "./health-monitor/create-health-monitor";
import { updateHealthMonitor } from "./health-monitor/update-health-monitor";
import { deleteHealthMonitor } from "./health-monitor/delete-health-monitor";
import { addMembers } from "./member/add-members";
import { updateMember } from "./member/update-member";
import { removeMembers } from "./member/remove-members";
import { createListener } from "./listener/create-listener";
import { updateListener } from "./listener/update-listener";
import { deleteListener } from "./listener/delete-listener";

/**
 * Every mutation that changes what the engine serves tells the control plane exactly once, after its
 * transaction committed — and never when the transaction throws. Runs each one for real, on the test
 * database, with the transactions and the change signal observed (see observeTransactions).
 */
let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
});

/** Runs a mutation that must succeed: one commit, then one signal. */
async function committed<T>(mutation: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  const { ctx, events } = observeTransactions(bed.ctx);
  const result = await mutation(ctx);
  expect(events).toEqual(["commit", "changed"]);
  return result;
}

/** Runs a mutation refused inside its transaction: a rollback, no signal. */
async function refused(mutation: (ctx: ServiceContext) => Promise<unknown>): Promise<void> {
  const { ctx, events } = observeTransactions(bed.ctx);
  await expect(mutation(ctx)).rejects.toBeInstanceOf(AppError);
  expect(events).toEqual(["rollback"]);
}

const missing = "does-not-exist";
const state = {} as { lbId: string; lbName: string; eipId: string; poolId: string; memberIds: string[]; listenerId: string };

describe("data-plane mutations signal the control plane once, after commit", () => {
  it("create, unbind/bind EIP, modify bandwidth of a load balancer", async () => {
    const lb = await committed((ctx) => createLoadBalancer(ctx, { networkType: "public", vpcId: bed.vpcId, subnetId: bed.subnetId, name: "signal-lb", eip: { mode: "new", bandwidthMbit: 5 } }));
    Object.assign(state, { lbId: lb.id, lbName: lb.name, eipId: lb.eip!.id });
    await refused((ctx) => createLoadBalancer(ctx, { networkType: "private", vpcId: missing, subnetId: bed.subnetId, name: "signal-nope" }));
    await committed((ctx) => unbindEip(ctx, { id: state.lbId }));
    await refused((ctx) => unbindEip(ctx, { id: state.lbId }));
    await refused((ctx) => modifyBandwidth(ctx, { id: state.lbId, bandwidthMbit: 50 }));
    await committed((ctx) => bindEip(ctx, { id: state.lbId, eipId: state.eipId }));
    await refused((ctx) => bindEip(ctx, { id: state.lbId, eipId: state.eipId }));
    await committed((ctx) => modifyBandwidth(ctx, { id: state.lbId, bandwidthMbit: 50 }));
  });

  it("create, update a backend server group; create, update, delete its health check", async () => {
    state.poolId = (await committed((ctx) => createPool(ctx, { loadBalancerId: state.lbId, name: "signal-group", protocol: "TCP", algorithm: "ROUND_ROBIN" }))).id;
    await refused((ctx) => createPool(ctx, { loadBalancerId: missing, name: "signal-nope", protocol: "TCP", algorithm: "ROUND_ROBIN" }));
    await committed((ctx) => updatePool(ctx, { id: state.poolId, name: "signal-group-2" }));
    await refused((ctx) => updatePool(ctx, { id: missing, name: "signal-nope" }));
    await committed((ctx) => createHealthMonitor(ctx, { poolId: state.poolId, protocol: "TCP" }));
    await refused((ctx) => createHealthMonitor(ctx, { poolId: state.poolId, protocol: "TCP" }));
    await committed((ctx) => updateHealthMonitor(ctx, { poolId: state.poolId, enabled: false }));
    await refused((ctx) => updateHealthMonitor(ctx, { poolId: missing, enabled: false }));
    await committed((ctx) => deleteHealthMonitor(ctx, { poolId: state.poolId }));
    await refused((ctx) => deleteHealthMonitor(ctx, { poolId: state.poolId }));
  });

  it("add, update, remove backend servers", async () => {
    const added = await committed((ctx) => addMembers(ctx, { poolId: state.poolId, members: [{ address: "10.60.0.1", port: 80 }, { address: "10.60.0.2", port: 80 }] }));
    state.memberIds = added.members.map((m) => m.id);
    await refused((ctx) => addMembers(ctx, { poolId: state.poolId, members: [{ address: "10.60.0.1", port: 80 }] }));
    await committed((ctx) => updateMember(ctx, { id: state.memberIds[0], weight: 9 }));
    await refused((ctx) => updateMember(ctx, { id: missing, weight: 9 }));
    await committed((ctx) => removeMembers(ctx, { poolId: state.poolId, ids: state.memberIds }));
    await refused((ctx) => removeMembers(ctx, { poolId: state.poolId, ids: state.memberIds }));
  });

  it("add, modify, delete a listener", async () => {
    const listener = { loadBalancerId: state.lbId, name: "signal-listener", protocol: "TCP", port: 8181, pool: { mode: "new", name: "signal-listener-group", algorithm: "ROUND_ROBIN" } } as const;
    state.listenerId = (await committed((ctx) => createListener(ctx, listener))).id;
    await refused((ctx) => createListener(ctx, { ...listener, name: "signal-clash" }));
    await committed((ctx) => updateListener(ctx, { id: state.listenerId, description: "signalled" }));
    await refused((ctx) => updateListener(ctx, { id: missing, description: "nope" }));
    await committed((ctx) => deleteListener(ctx, { id: state.listenerId }));
    await refused((ctx) => deleteListener(ctx, { id: state.listenerId }));
  });

  it("delete the backend server group, then the load balancer", async () => {
    await committed((ctx) => deletePool(ctx, { id: state.poolId }));
    await refused((ctx) => deletePool(ctx, { id: state.poolId }));
    await refused((ctx) => deleteLoadBalancer(ctx, { id: state.lbId, confirmName: "wrong name" }));
    await committed((ctx) => deleteLoadBalancer(ctx, { id: state.lbId, confirmName: state.lbName }));
  });
});

describe("no hand-written change signal in services", () => {
  it("only commitConfigChange calls configChanged", () => {
    const root = path.join(import.meta.dirname);
    const sources = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    const offenders = sources.filter((f) => /\bconfigChanged\s*\(|notifyConfigChanged/.test(readFileSync(path.join(root, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});
