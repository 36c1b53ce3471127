import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc, eq } from "drizzle-orm";
import { loadBalancers, members, pools, servers, subnets, traces } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { createVpc } from "../network/create-vpc";
import { createSubnet } from "../network/create-subnet";
import { deleteSubnet } from "../network/delete-subnet";
import { createRegion } from "../region/create-region";
import { createCaller } from "../../trpc/root";
import { createServer } from "./create-server";
import { updateServer } from "./update-server";
import { deleteServer } from "./delete-server";
import { listServers } from "./list-servers";

let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
});

const allServers = async () => bed.ctx.db.select().from(servers).orderBy(servers.id);

describe("server inventory", () => {
  it("adds servers inside the subnet and lists them by subnet and address", async () => {
    const b = await createServer(bed.ctx, { subnetId: bed.subnetId, name: "web-2", address: "127.10.200.10" });
    const a = await createServer(bed.ctx, { subnetId: bed.subnetId, name: "web-1", address: " 127.10.200.9 " });
    expect(a).toMatchObject({ name: "web-1", address: "127.10.200.9", subnet: { id: bed.subnetId, name: "subnet-default", cidr: "127.10.0.0/16" }, vpc: { name: "vpc-default" }, memberCount: 0 });
    expect((await listServers(bed.ctx, { subnetId: bed.subnetId })).map((s) => s.id)).toEqual([a.id, b.id]);
    expect((await listServers(bed.ctx, {})).map((s) => s.name)).toEqual(["web-1", "web-2"]);
  });

  it("rejects bad input naming the field and the allowed range, and writes nothing", async () => {
    const add = (input: Record<string, unknown>) => () => createServer(bed.ctx, { subnetId: bed.subnetId, name: "s", address: "127.10.9.9", ...input });
    await expectAppError(add({ name: "" }), { code: "BAD_REQUEST", field: "name", message: /Server name: enter 1 to 64 characters/ }, allServers);
    await expectAppError(add({ name: "x".repeat(65) }), { field: "name", message: /at most 64/ }, allServers);
    await expectAppError(add({ name: "bad name" }), { field: "name", message: /only letters, digits/ }, allServers);
    await expectAppError(add({ address: "127.10.9" }), { field: "address", message: /IP Address: enter an IPv4 address/ }, allServers);
    await expectAppError(add({ address: "127.11.0.5" }), { code: "BAD_REQUEST", field: "address", message: /127\.11\.0\.5 must be a host address of subnet subnet-default \(127\.10\.0\.0\/16\): 127\.10\.0\.2–127\.10\.255\.254/ }, allServers);
    await expectAppError(add({ address: "127.10.0.1" }), { field: "address", message: /must be a host address/ }, allServers);
    await expectAppError(add({ address: "127.10.255.255" }), { field: "address", message: /must be a host address/ }, allServers);
    await expectAppError(add({ subnetId: "" }), { field: "subnetId", message: /Subnet: select a subnet/ }, allServers);
    await expectAppError(add({ subnetId: "nope" }), { code: "NOT_FOUND", field: "subnetId", message: /Subnet/ }, allServers);
  });

  it("refuses a duplicate address in one subnet and a load balancer's private IP, and allows it in another subnet", async () => {
    await expectAppError(() => createServer(bed.ctx, { subnetId: bed.subnetId, name: "twin", address: "127.10.200.9" }), { code: "CONFLICT", field: "address", message: /127\.10\.200\.9 is already server web-1 of subnet subnet-default/ }, allServers);
    await bed.ctx.db.insert(loadBalancers).values({ name: "lb-vip", regionId: bed.ctx.scope.regionId, projectId: bed.ctx.scope.projectId, vpcId: bed.vpcId, subnetId: bed.subnetId, privateIp: "127.10.0.77" });
    await expectAppError(() => createServer(bed.ctx, { subnetId: bed.subnetId, name: "vip", address: "127.10.0.77" }), { code: "CONFLICT", field: "address", message: /private IP of load balancer lb-vip/ }, allServers);
    const vpc = await createVpc(bed.ctx, { name: "vpc-servers", cidr: "10.60.0.0/16" });
    const a = await createSubnet(bed.ctx, { vpcId: vpc.id, name: "a", cidr: "10.60.1.0/24" });
    const other = await createServer(bed.ctx, { subnetId: a.id, name: "app-1", address: "10.60.1.5" });
    expect(other.subnet.name).toBe("a");
    // A load balancer in the default VPC is offered only the default VPC's servers.
    const [lb] = await bed.ctx.db.select().from(loadBalancers).where(eq(loadBalancers.name, "lb-vip"));
    expect((await listServers(bed.ctx, { loadBalancerId: lb!.id })).map((s) => s.name)).toEqual(["web-1", "web-2"]);
    await expectAppError(() => listServers(bed.ctx, { loadBalancerId: "nope" }), { code: "NOT_FOUND", field: "loadBalancerId", message: /Load balancer/ }, allServers);
  });

  it("modifies the name and address with the same checks", async () => {
    const [web1] = await listServers(bed.ctx, { subnetId: bed.subnetId });
    expect(await updateServer(bed.ctx, { id: web1!.id, name: "web-one", address: "127.10.200.11" })).toMatchObject({ name: "web-one", address: "127.10.200.11" });
    expect(await updateServer(bed.ctx, { id: web1!.id, address: "127.10.200.11" })).toMatchObject({ name: "web-one" });
    await expectAppError(() => updateServer(bed.ctx, { id: web1!.id, address: "127.10.200.10" }), { code: "CONFLICT", field: "address", message: /already server web-2/ }, allServers);
    await expectAppError(() => updateServer(bed.ctx, { id: web1!.id, address: "10.60.1.9" }), { code: "BAD_REQUEST", field: "address", message: /host address of subnet subnet-default/ }, allServers);
    await expectAppError(() => updateServer(bed.ctx, { id: web1!.id, name: "" }), { field: "name", message: /Server name/ }, allServers);
    await expectAppError(() => updateServer(bed.ctx, { id: "nope", name: "x" }), { code: "NOT_FOUND", field: "id", message: /Server: not found/ }, allServers);
  });

  it("is scoped to the region: another region sees, changes and deletes none of these servers", async () => {
    const region = await createRegion(bed.ctx, { code: "servers-2", name: "Servers 2" });
    const elsewhere = { ...bed.ctx, scope: { ...bed.ctx.scope, regionId: region.id } };
    const [web1] = await listServers(bed.ctx, { subnetId: bed.subnetId });
    expect(await listServers(elsewhere, {})).toEqual([]);
    await expectAppError(() => createServer(elsewhere, { subnetId: bed.subnetId, name: "x", address: "127.10.9.9" }), { code: "NOT_FOUND", field: "subnetId", message: /Subnet/ }, allServers);
    await expectAppError(() => updateServer(elsewhere, { id: web1!.id, name: "x" }), { code: "NOT_FOUND", field: "id", message: /not found in this region/ }, allServers);
    await expectAppError(() => deleteServer(elsewhere, { id: web1!.id }), { code: "NOT_FOUND", field: "id", message: /not found in this region/ }, allServers);
  });

  it("deletes a server that is a backend server: the backend server stays; a subnet takes its servers with it", async () => {
    const [lb] = await bed.ctx.db.select().from(loadBalancers).where(eq(loadBalancers.name, "lb-vip"));
    const [pool] = await bed.ctx.db.insert(pools).values({ loadBalancerId: lb!.id, name: "group", protocol: "HTTP", algorithm: "ROUND_ROBIN" }).returning();
    await bed.ctx.db.insert(members).values({ poolId: pool!.id, name: "web-2", address: "127.10.200.10", port: 8080 });
    const web2 = (await listServers(bed.ctx, {})).find((s) => s.name === "web-2")!;
    expect(web2.memberCount).toBe(1);
    expect(await deleteServer(bed.ctx, { id: web2.id })).toEqual({ id: web2.id, name: "web-2" });
    expect(await bed.ctx.db.select({ address: members.address }).from(members).where(eq(members.poolId, pool!.id))).toEqual([{ address: "127.10.200.10" }]);
    const [a] = await bed.ctx.db.select().from(subnets).where(eq(subnets.name, "a"));
    await deleteSubnet(bed.ctx, { id: a!.id });
    expect(await bed.ctx.db.select().from(servers).where(eq(servers.subnetId, a!.id))).toEqual([]);
  });

  it("traces create/update/delete server through the router, and names a refused one", async () => {
    const admin = createCaller({ ...bed.ctx, user: bed.ctx.user, sourceIp: "192.0.2.10" });
    const lastTrace = async () => (await bed.ctx.db.select().from(traces).orderBy(desc(traces.time)).limit(1))[0]!;
    const server = await admin.server.create({ subnetId: bed.subnetId, name: "traced", address: "127.10.201.1" });
    expect(await lastTrace()).toMatchObject({ traceName: "create server", resourceType: "server", resourceId: server.id, resourceName: "traced", code: "200" });
    await admin.server.update({ id: server.id, name: "traced-2" });
    expect(await lastTrace()).toMatchObject({ traceName: "update server", resourceName: "traced-2" });
    await expect(admin.server.update({ id: server.id, address: "10.0.0.5" })).rejects.toThrow(/host address/);
    expect(await lastTrace()).toMatchObject({ traceName: "update server", resourceName: "traced-2", code: "400" });
    await admin.server.delete({ id: server.id });
    expect(await lastTrace()).toMatchObject({ traceName: "delete server", resourceType: "server", resourceName: "traced-2" });
    expect((await admin.server.list()).map((s) => s.name)).toEqual(["web-one"]);
  });
});
