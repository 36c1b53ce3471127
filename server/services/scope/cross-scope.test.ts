import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../errors";
import type { ServiceContext } from "../context";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { allResourceRows, buildCrossScopeWorld, type CrossScopeWorld } from "./cross-scope-fixtures";
import { getLoadBalancer } from "../load-balancer/get-load-balancer";
import { updateLoadBalancer } from "../load-balancer/update-load-balancer";
import { deleteLoadBalancer } from "../load-balancer/delete-load-balancer";
import { bindEip } from "../load-balancer/bind-eip";
import { unbindEip } from "../load-balancer/unbind-eip";
import { modifyBandwidth } from "../load-balancer/modify-bandwidth";
import { createLoadBalancer } from "../load-balancer/create-load-balancer";
import { listLoadBalancers } from "../load-balancer/list-load-balancers";
import { createListener } from "../listener/create-listener";
import { listListeners } from "../listener/list-listeners";
import { updateListener } from "../listener/update-listener";
import { deleteListener } from "../listener/delete-listener";
import { createPool } from "../pool/create-pool";
import { getPool } from "../pool/get-pool";
import { listPools } from "../pool/list-pools";
import { updatePool } from "../pool/update-pool";
import { deletePool } from "../pool/delete-pool";
import { addMembers } from "../member/add-members";
import { listMembers } from "../member/list-members";
import { updateMember } from "../member/update-member";
import { removeMembers } from "../member/remove-members";
import { createHealthMonitor } from "../health-monitor/create-health-monitor";
import { updateHealthMonitor } from "../health-monitor/update-health-monitor";
import { deleteHealthMonitor } from "../health-monitor/delete-health-monitor";
import { createEip } from "../eip/create-eip";
import { releaseEip } from "../eip/release-eip";
import { listEips } from "../eip/list-eips";
import { createSubnet } from "../network/create-subnet";
import { listSubnets } from "../network/list-subnets";
import { deleteSubnet } from "../network/delete-subnet";
import { deleteVpc } from "../network/delete-vpc";
import { deleteEipPool } from "../network/delete-eip-pool";
import { createServer } from "../server/create-server";
import { updateServer } from "../server/update-server";
import { deleteServer } from "../server/delete-server";
import { listServers } from "../server/list-servers";

let bed: ServiceTestBed;
let w: CrossScopeWorld;

beforeAll(async () => {
  bed = await createServiceTestBed();
  w = await buildCrossScopeWorld(bed);
});
afterAll(async () => {
  await bed?.close();
});

type Call = (ctx: ServiceContext, w: CrossScopeWorld) => Promise<unknown>;
/** `regional`: the resource has a region but no enterprise project (VPC, subnet, EIP pool, server). */
const byId: [name: string, call: Call, regional?: boolean][] = [
  ["loadBalancer.get", (c, w) => getLoadBalancer(c, { id: w.lb.id })],
  ["loadBalancer.update", (c, w) => updateLoadBalancer(c, { id: w.lb.id, name: "stolen" })],
  ["loadBalancer.delete", (c, w) => deleteLoadBalancer(c, { id: w.publicLb.id, confirmName: w.publicLb.name })],
  ["loadBalancer.bindEip (EIP of the caller's region)", (c, w) => bindEip(c, { id: w.lb.id, eipId: w.r2.eipId })],
  ["loadBalancer.bindEip (EIP of the load balancer's region)", (c, w) => bindEip(c, { id: w.lb.id, eipId: w.eipId })],
  ["loadBalancer.unbindEip", (c, w) => unbindEip(c, { id: w.publicLb.id })],
  ["loadBalancer.modifyBandwidth", (c, w) => modifyBandwidth(c, { id: w.publicLb.id, bandwidthMbit: 99 })],
  ["loadBalancer.create (VPC/subnet of another region)", (c, w) => createLoadBalancer(c, { networkType: "private", vpcId: w.vpcId, subnetId: w.subnetId, name: "x" }), true],
  ["loadBalancer.create (subnet of another region in own VPC)", (c, w) => createLoadBalancer(c, { networkType: "private", vpcId: w.r2.vpcId, subnetId: w.subnetId, name: "x" }), true],
  ["loadBalancer.create (existing EIP of another region)", (c, w) => createLoadBalancer(c, { networkType: "public", vpcId: w.r2.vpcId, subnetId: w.r2.subnetId, name: "x", eip: { mode: "existing", eipId: w.eipId } }), true],
  ["loadBalancer.create (EIP pool of another region)", (c, w) => createLoadBalancer(c, { networkType: "public", vpcId: w.r2.vpcId, subnetId: w.r2.subnetId, name: "x", eip: { mode: "new", bandwidthMbit: 1, eipPoolId: w.eipPoolId } }), true],
  ["listener.create", (c, w) => createListener(c, { loadBalancerId: w.lb.id, name: "l", protocol: "TCP", port: 7000, pool: { mode: "new", name: "g", algorithm: "ROUND_ROBIN" } })],
  ["listener.list", (c, w) => listListeners(c, { loadBalancerId: w.lb.id })],
  ["listener.update", (c, w) => updateListener(c, { id: w.listenerId, name: "stolen" })],
  ["listener.delete", (c, w) => deleteListener(c, { id: w.listenerId })],
  ["pool.create", (c, w) => createPool(c, { loadBalancerId: w.lb.id, name: "g2", protocol: "TCP", algorithm: "ROUND_ROBIN" })],
  ["pool.get", (c, w) => getPool(c, { id: w.poolId })],
  ["pool.list", (c, w) => listPools(c, { loadBalancerId: w.lb.id })],
  ["pool.update", (c, w) => updatePool(c, { id: w.poolId, name: "stolen" })],
  ["pool.delete", (c, w) => deletePool(c, { id: w.poolId })],
  ["member.add", (c, w) => addMembers(c, { poolId: w.poolId, members: [{ name: "m2", address: "127.0.0.2", port: 9002 }] })],
  ["member.list", (c, w) => listMembers(c, { poolId: w.poolId })],
  ["member.update", (c, w) => updateMember(c, { id: w.memberId, weight: 7 })],
  ["member.remove", (c, w) => removeMembers(c, { poolId: w.poolId, ids: [w.memberId] })],
  ["healthMonitor.create", (c, w) => createHealthMonitor(c, { poolId: w.poolId })],
  ["healthMonitor.update", (c, w) => updateHealthMonitor(c, { poolId: w.poolId, maxRetries: 9 })],
  ["healthMonitor.delete", (c, w) => deleteHealthMonitor(c, { poolId: w.poolId })],
  ["eip.create (pool of another region)", (c, w) => createEip(c, { poolId: w.eipPoolId, bandwidthMbit: 1 }), true],
  ["eip.release", (c, w) => releaseEip(c, { id: w.eipId })],
  ["eipPool.delete", (c, w) => deleteEipPool(c, { id: w.eipPoolId }), true],
  ["vpc.delete", (c, w) => deleteVpc(c, { id: w.vpcId }), true],
  ["subnet.create", (c, w) => createSubnet(c, { vpcId: w.vpcId, name: "s", cidr: "127.10.200.0/24" }), true],
  ["subnet.list", (c, w) => listSubnets(c, { vpcId: w.vpcId }), true],
  ["subnet.delete", (c, w) => deleteSubnet(c, { id: w.subnetId }), true],
  ["server.create", (c, w) => createServer(c, { subnetId: w.subnetId, name: "s", address: "127.10.5.6" }), true],
  ["server.update", (c, w) => updateServer(c, { id: w.serverId, name: "stolen" }), true],
  ["server.delete", (c, w) => deleteServer(c, { id: w.serverId }), true],
  ["server.list (load balancer of another region)", (c, w) => listServers(c, { loadBalancerId: w.lb.id })],
];

/**
 * Expects a refusal that hides the resource (NOT_FOUND) or names the offending field (BAD_REQUEST) — or,
 * for a list by a foreign parent id, an empty list — and no row changed.
 */
async function expectRefused(action: () => Promise<unknown>) {
  const before = await allResourceRows(bed);
  const error = await action().then(
    (result) => (Array.isArray(result) && result.length === 0 ? "empty" : null),
    (e: unknown) => e,
  );
  if (error === "empty") return expect(await allResourceRows(bed)).toEqual(before);
  expect(error, "the call succeeded").toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(["NOT_FOUND", "BAD_REQUEST"]).toContain(appError.code);
  if (appError.code === "BAD_REQUEST") expect(appError.field).toBeTruthy();
  expect(await allResourceRows(bed)).toEqual(before);
}

describe("operations by id from region 2 on region-1 resources", () => {
  it.each(byId)("%s is refused and changes nothing", async (_name, call) => {
    await expectRefused(() => call(w.region2, w));
  });

  it("region 2's lists show none of region 1's resources", async () => {
    expect((await listLoadBalancers(w.region2, {})).total).toBe(0);
    expect((await listEips(w.region2, {})).items.map((e) => e.id)).toEqual([w.r2.eipId]);
    expect(await listServers(w.region2, {})).toEqual([]);
  });
});

describe("operations by id from another enterprise project of region 1", () => {
  it.each(byId.filter(([, , regional]) => !regional))("%s is refused and changes nothing", async (_name, call) => {
    await expectRefused(() => call(w.otherProject, w));
  });
});

describe("the owner's scope", () => {
  it("still reaches every resource (the fixtures are valid)", async () => {
    expect((await getLoadBalancer(bed.ctx, { id: w.lb.id })).name).toBe("r1-lb");
    expect((await listListeners(bed.ctx, { loadBalancerId: w.lb.id })).map((l) => l.id)).toEqual([w.listenerId]);
    expect((await listMembers(bed.ctx, { poolId: w.poolId })).map((m) => m.id)).toEqual([w.memberId]);
    expect((await getPool(bed.ctx, { id: w.poolId })).id).toBe(w.poolId);
  });
});
