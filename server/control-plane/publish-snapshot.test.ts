import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Snapshot } from "@/engine/protocol/snapshot.types";
import { createServiceTestBed, type ServiceTestBed } from "../services/test-support";
import { allocateEip } from "../services/eip/allocate-eip";
import { createCaller } from "../trpc/root";
import { createSnapshotPublisher } from "./snapshot-publisher";
import { createLoadBalancer } from "../services/load-balancer/create-load-balancer";
import { modifyBandwidth } from "../services/load-balancer/modify-bandwidth";
import { listeners } from "@/db/schema";
import { buildNextSnapshot } from "./publish-snapshot";
import { getDatabaseEpoch } from "./database-epoch";

let bed: ServiceTestBed;
let other: ServiceTestBed;
beforeAll(async () => {
  [bed, other] = await Promise.all([createServiceTestBed(), createServiceTestBed()]);
});
afterAll(async () => {
  await Promise.all([bed?.close(), other?.close()]);
});

describe("snapshot publishing", () => {
  it("bumps the version only when the configuration changes, within one database epoch", async () => {
    const first = await buildNextSnapshot(bed.ctx.db);
    expect(first).toMatchObject({ changed: true, snapshot: { version: 1, listeners: [], pools: [] } });
    expect(first.snapshot.epoch).toBe(await getDatabaseEpoch(bed.ctx.db));
    const again = await buildNextSnapshot(bed.ctx.db);
    expect(again.changed).toBe(false);
    expect(again.snapshot.version).toBe(1);
    expect(again.snapshot.hash).toBe(first.snapshot.hash);

    const lb = await createLoadBalancer(bed.ctx, { networkType: "private", vpcId: bed.vpcId, subnetId: bed.subnetId, name: "published" });
    await bed.ctx.db.insert(listeners).values({ loadBalancerId: lb.id, name: "l1", protocol: "TCP", port: 7000, portClass: "STREAM" });
    const next = await buildNextSnapshot(bed.ctx.db);
    expect(next).toMatchObject({ changed: true, snapshot: { version: 2, epoch: first.snapshot.epoch } });
    expect(next.snapshot.listeners).toEqual([expect.objectContaining({ port: 7000, bindAddresses: [lb.privateIp], defaultPoolId: null })]);
  });

  it("limits each bound EIP address to its bandwidth; Modify Bandwidth publishes a new snapshot", async () => {
    const lb = await createLoadBalancer(bed.ctx, { networkType: "public", vpcId: bed.vpcId, subnetId: bed.subnetId, name: "public-bw", eip: { mode: "new", bandwidthMbit: 10 } });
    const eip = lb.eip!.address;
    await bed.ctx.db.insert(listeners).values({ loadBalancerId: lb.id, name: "l-bw", protocol: "TCP", port: 7100, portClass: "STREAM" });
    const first = await buildNextSnapshot(bed.ctx.db);
    expect(first.snapshot.listeners).toContainEqual(expect.objectContaining({ port: 7100, bindAddresses: [lb.privateIp, eip] }));
    expect(first.snapshot.addressLimits).toContainEqual({ address: eip, megabitsPerSecond: 10 });
    expect(first.snapshot.addressLimits!.some((l) => l.address === lb.privateIp)).toBe(false); // the private IP is not limited

    await modifyBandwidth(bed.ctx, { id: lb.id, bandwidthMbit: 200 });
    const next = await buildNextSnapshot(bed.ctx.db);
    expect(next.changed).toBe(true);
    expect(next.snapshot.version).toBe(first.snapshot.version + 1);
    expect(next.snapshot.addressLimits).toContainEqual({ address: eip, megabitsPerSecond: 200 });
  });

  it("Bind EIP and Modify Bandwidth, called through tRPC, publish a new snapshot with the EIP and its limit", async () => {
    // What the engine would get: the publisher's send (EngineSupervisor.publish), fed by the change signal.
    const lb = await createLoadBalancer(bed.ctx, { networkType: "private", vpcId: bed.vpcId, subnetId: bed.subnetId, name: "bind-published" });
    await bed.ctx.db.insert(listeners).values({ loadBalancerId: lb.id, name: "l-bind", protocol: "TCP", port: 7200, portClass: "STREAM" });
    const eip = await allocateEip(bed.ctx.db, { ...bed.ctx.scope, bandwidthMbit: 5 });
    // Subscribed only now: every later publish comes from a signal of the calls under test.
    const sent: Snapshot[] = [];
    const publisher = createSnapshotPublisher({ build: () => buildNextSnapshot(bed.ctx.db), send: (s) => sent.push(s), delayMs: 5 });
    const off = bed.onConfigChanged(() => publisher.configChanged());
    const admin = createCaller({ ...bed.ctx, sourceIp: "127.0.0.1" });
    /** Waits (bounded) until `action` made the publisher send a newer version than `previous`; returns it. */
    const publishedAfter = async (previous: Snapshot, action: () => Promise<unknown>) => {
      await action();
      await vi.waitFor(() => expect(sent.at(-1)!.version).toBeGreaterThan(previous.version), { timeout: 5_000, interval: 10 });
      return sent.at(-1)!;
    };
    try {
      await publisher.publishNow();
      const first = sent.at(-1)!;
      expect(first.listeners).toContainEqual(expect.objectContaining({ port: 7200, bindAddresses: [lb.privateIp] }));

      const bound = await publishedAfter(first, () => admin.loadBalancer.bindEip({ id: lb.id, eipId: eip.id }));
      expect(bound.version).toBe(first.version + 1);
      expect(bound.hash).not.toBe(first.hash);
      expect(bound.listeners).toContainEqual(expect.objectContaining({ port: 7200, bindAddresses: [lb.privateIp, eip.address] }));
      expect(bound.addressLimits).toContainEqual({ address: eip.address, megabitsPerSecond: 5 });

      const modified = await publishedAfter(bound, () => admin.loadBalancer.modifyBandwidth({ id: lb.id, bandwidthMbit: 30 }));
      expect(modified.version).toBe(bound.version + 1);
      expect(modified.addressLimits).toContainEqual({ address: eip.address, megabitsPerSecond: 30 });
      expect(modified.addressLimits).not.toContainEqual({ address: eip.address, megabitsPerSecond: 5 });
    } finally {
      off();
    }
  });

  it("gives every database its own epoch, so versions from another database are not compared", async () => {
    const mine = await getDatabaseEpoch(bed.ctx.db);
    expect(await getDatabaseEpoch(bed.ctx.db)).toBe(mine);
    expect(await getDatabaseEpoch(other.ctx.db)).not.toBe(mine);
  });
});
