import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq, inArray } from "drizzle-orm";
import { eips, listeners, loadBalancers, loadBalancerTags, members, projects, subnets, vpcs } from "@/db/schema";
import { AppError } from "../../errors";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { allocateEip } from "../eip/allocate-eip";
import { createLoadBalancer } from "./create-load-balancer";
import { listLoadBalancers } from "./list-load-balancers";
import { modifyBandwidth } from "./modify-bandwidth";
import { bindEip } from "./bind-eip";
import { unbindEip } from "./unbind-eip";
import { deleteLoadBalancer } from "./delete-load-balancer";
import { updateLoadBalancer } from "./update-load-balancer";
import { exportLoadBalancers } from "./export-load-balancers";
import { createPool } from "../pool/create-pool";
import { deletePool } from "../pool/delete-pool";
import { addMembers } from "../member/add-members";
import { removeMembers } from "../member/remove-members";

let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
});

const base = () => ({ networkType: "private" as const, vpcId: bed.vpcId, subnetId: bed.subnetId, name: "elb-test" });
const lbCount = async () => (await bed.ctx.db.select({ n: count() }).from(loadBalancers))[0]!.n;
/** Rows of every table a creation writes: load balancers, tags, EIPs. */
const rowCounts = async () => ({
  loadBalancers: await lbCount(),
  tags: (await bed.ctx.db.select({ n: count() }).from(loadBalancerTags))[0]!.n,
  eips: (await bed.ctx.db.select({ n: count() }).from(eips))[0]!.n,
});

/** Expects an AppError naming `field` (when given) and nothing written. */
async function expectRejected(call: () => Promise<unknown>, match: { code?: string; field?: string; message: RegExp }) {
  const before = await rowCounts();
  const error = await call().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  if (match.code) expect(appError.code).toBe(match.code);
  if (match.field) expect(appError.field).toBe(match.field);
  expect(appError.message).toMatch(match.message);
  expect(await rowCounts()).toEqual(before);
}

describe("create load balancer", () => {
  it("allocates the first free private IP automatically and derives the network type", async () => {
    const lb = await createLoadBalancer(bed.ctx, { ...base(), name: "auto-ip", tags: [{ key: "elb_key1", value: "elb-01" }] });
    expect(lb.privateIp).toBe("127.10.0.2");
    expect(lb.networkType).toBe("private");
    expect(lb.eip).toBeNull();
    expect(lb.tags).toEqual([{ key: "elb_key1", value: "elb-01" }]);
    const second = await createLoadBalancer(bed.ctx, { ...base(), name: "auto-ip-2" });
    expect(second.privateIp).toBe("127.10.0.3");
  });

  it("accepts a manual private IP in the subnet and rejects one outside it or in use", async () => {
    const lb = await createLoadBalancer(bed.ctx, { ...base(), name: "manual", privateIp: "127.10.5.7" });
    expect(lb.privateIp).toBe("127.10.5.7");
    await expectRejected(() => createLoadBalancer(bed.ctx, { ...base(), privateIp: "127.10.5.7" }), { code: "CONFLICT", field: "privateIp", message: /already used/ });
    await expectRejected(() => createLoadBalancer(bed.ctx, { ...base(), privateIp: "127.11.0.5" }), { field: "privateIp", message: /not a usable address of subnet/ });
    await expectRejected(() => createLoadBalancer(bed.ctx, { ...base(), privateIp: "127.10.0.1" }), { field: "privateIp", message: /not a usable address/ });
    await expectRejected(() => createLoadBalancer(bed.ctx, { ...base(), privateIp: "nope" }), { field: "privateIp", message: /not a valid IPv4/ });
  });

  it("creates a public load balancer with a new Dynamic BGP EIP and its bandwidth", async () => {
    const lb = await createLoadBalancer(bed.ctx, { ...base(), networkType: "public", name: "public-1", eip: { mode: "new", bandwidthMbit: 10 } });
    expect(lb.networkType).toBe("public");
    expect(lb.eip).toMatchObject({ bandwidthMbit: 10, type: "dynamic_bgp" });
    expect(lb.eip!.address).toMatch(/^127\.20\./);
  });

  it("rejects bandwidth outside 1–2000 Mbit/s and public without EIP", async () => {
    await expectRejected(() => createLoadBalancer(bed.ctx, { ...base(), networkType: "public", eip: { mode: "new", bandwidthMbit: 0 } }), { field: "eip.bandwidthMbit", message: /Bandwidth: must be between 1 and 2000/ });
    await expectRejected(() => createLoadBalancer(bed.ctx, { ...base(), networkType: "public", eip: { mode: "new", bandwidthMbit: 2001 } }), { field: "eip.bandwidthMbit", message: /between 1 and 2000/ });
    await expectRejected(() => createLoadBalancer(bed.ctx, { ...base(), networkType: "public" }), { field: "eip", message: /needs a new or existing EIP/ });
  });

  it("validates the name", async () => {
    await expectRejected(() => createLoadBalancer(bed.ctx, { ...base(), name: "" }), { field: "name", message: /Name: enter 1 to 64/ });
    await expectRejected(() => createLoadBalancer(bed.ctx, { ...base(), name: "x".repeat(65) }), { field: "name", message: /at most 64/ });
    await expectRejected(() => createLoadBalancer(bed.ctx, { ...base(), name: "bad name!" }), { field: "name", message: /only letters, digits/ });
  });

  it("enforces table 2-2 tag rules", async () => {
    const tagged = (tags: { key: string; value?: string }[]) => createLoadBalancer(bed.ctx, { ...base(), tags });
    await expectRejected(() => tagged([{ key: "" }]), { field: "tags.0.key", message: /Tag key: cannot be empty/ });
    await expectRejected(() => tagged([{ key: "k".repeat(37) }]), { field: "tags.0.key", message: /maximum of 36/ });
    await expectRejected(() => tagged([{ key: "a*b" }]), { field: "tags.0.key", message: /asterisks/ });
    await expectRejected(() => tagged([{ key: "a/b" }]), { field: "tags.0.key", message: /slashes/ });
    await expectRejected(() => tagged([{ key: "a.b" }]), { field: "tags.0.key", message: /only letters, digits, underscores \(_\), hyphens/ });
    await expectRejected(() => tagged([{ key: "ok", value: "v".repeat(44) }]), { field: "tags.0.value", message: /maximum of 43/ });
    await expectRejected(() => tagged([{ key: "ok", value: "a=b" }]), { field: "tags.0.value", message: /equal signs/ });
    await expectRejected(() => tagged([{ key: "dup" }, { key: "dup" }]), { field: "tags.1.key", message: /unique/ });
    await expectRejected(() => tagged(Array.from({ length: 11 }, (_, i) => ({ key: `k${i}` }))), { field: "tags", message: /at most 10 tags/ });
    const ok = await tagged([{ key: "中文_key-1", value: "v.1_中-x" }]);
    expect(ok.tags[0]).toEqual({ key: "中文_key-1", value: "v.1_中-x" });
  });

  it("refuses the load balancer beyond the project quota", async () => {
    const [project] = await bed.ctx.db.select({ quota: projects.loadBalancerQuota }).from(projects).where(eq(projects.id, bed.ctx.scope.projectId));
    await bed.ctx.db.update(projects).set({ loadBalancerQuota: await lbCount() + 1 }).where(eq(projects.id, bed.ctx.scope.projectId));
    try {
      await createLoadBalancer(bed.ctx, { ...base(), name: "last-one" });
      await expectRejected(() => createLoadBalancer(bed.ctx, { ...base(), name: "one-too-many" }), { code: "QUOTA_EXCEEDED", message: /at most \d+ load balancers/ });
    } finally {
      // Restored whatever happened, so a failure here does not turn the following tests into quota failures.
      await bed.ctx.db.update(projects).set({ loadBalancerQuota: project!.quota }).where(eq(projects.id, bed.ctx.scope.projectId));
    }
  });
});

describe("EIP binding, bandwidth, delete", () => {
  it("binds an existing EIP to one load balancer only, unbinds it, and keeps it on delete", async () => {
    const a = await createLoadBalancer(bed.ctx, { ...base(), name: "bind-a" });
    const b = await createLoadBalancer(bed.ctx, { ...base(), name: "bind-b" });
    const eip = await allocateEip(bed.ctx.db, { ...bed.ctx.scope, bandwidthMbit: 5 });
    const bound = await bindEip(bed.ctx, { id: a.id, eipId: eip.id });
    expect(bound.eip?.address).toBe(eip.address);
    expect(bound.networkType).toBe("public");
    await expect(bindEip(bed.ctx, { id: b.id, eipId: eip.id })).rejects.toMatchObject({ code: "CONFLICT", field: "eipId" });
    const modified = await modifyBandwidth(bed.ctx, { id: a.id, bandwidthMbit: 20 });
    expect(modified.eip?.bandwidthMbit).toBe(20);
    await expect(modifyBandwidth(bed.ctx, { id: b.id, bandwidthMbit: 20 })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(modifyBandwidth(bed.ctx, { id: a.id, bandwidthMbit: 0 })).rejects.toMatchObject({ field: "bandwidthMbit" });
    const unbound = await unbindEip(bed.ctx, { id: a.id });
    expect(unbound.eip).toBeNull();
    await bindEip(bed.ctx, { id: b.id, eipId: eip.id });
    await deleteLoadBalancer(bed.ctx, { id: b.id, confirmName: "bind-b" });
    const [kept] = await bed.ctx.db.select().from(eips).where(eq(eips.id, eip.id));
    expect(kept).toMatchObject({ address: eip.address, loadBalancerId: null });
  });

  it("refuses delete while listeners remain and without the typed name", async () => {
    const lb = await createLoadBalancer(bed.ctx, { ...base(), name: "has-listener" });
    await expect(deleteLoadBalancer(bed.ctx, { id: lb.id, confirmName: "wrong" })).rejects.toMatchObject({ field: "confirmName" });
    await bed.ctx.db.insert(listeners).values({ loadBalancerId: lb.id, name: "l1", protocol: "TCP", port: 8080, portClass: "STREAM" });
    await expect(deleteLoadBalancer(bed.ctx, { id: lb.id, confirmName: "has-listener" })).rejects.toThrow(/1 listener\(s\)/);
    await bed.ctx.db.delete(listeners).where(eq(listeners.loadBalancerId, lb.id));
    await deleteLoadBalancer(bed.ctx, { id: lb.id, confirmName: "has-listener" });
    expect(await bed.ctx.db.select().from(loadBalancerTags).where(eq(loadBalancerTags.loadBalancerId, lb.id))).toEqual([]);
  });

  it("refuses delete while backend server groups or backend servers remain, naming them, and deletes nothing", async () => {
    const lb = await createLoadBalancer(bed.ctx, { ...base(), name: "has-groups" });
    const refusal = async (pattern: RegExp) => {
      const error = await deleteLoadBalancer(bed.ctx, { id: lb.id, confirmName: "has-groups" }).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "PRECONDITION_FAILED" });
      expect((error as AppError).message).toMatch(pattern);
      expect(await bed.ctx.db.select({ id: loadBalancers.id }).from(loadBalancers).where(eq(loadBalancers.id, lb.id))).toHaveLength(1);
    };
    const group = await createPool(bed.ctx, { loadBalancerId: lb.id, name: "only-group", protocol: "TCP", algorithm: "ROUND_ROBIN" });
    await refusal(/^Load balancer has-groups cannot be deleted: first delete or remove its 1 backend server group\(s\)\.$/);
    const other = await createPool(bed.ctx, { loadBalancerId: lb.id, name: "second-group", protocol: "TCP", algorithm: "ROUND_ROBIN" });
    const added = await addMembers(bed.ctx, { poolId: group.id, members: [{ address: "10.9.0.1", port: 80 }, { address: "10.9.0.2", port: 80 }] });
    await addMembers(bed.ctx, { poolId: other.id, members: [{ address: "10.9.0.3", port: 80 }] });
    await refusal(/^Load balancer has-groups cannot be deleted: first delete or remove its 2 backend server group\(s\), 3 backend server\(s\)\.$/);
    expect(await bed.ctx.db.select({ id: members.id }).from(members).where(inArray(members.poolId, [group.id, other.id]))).toHaveLength(3);
    await removeMembers(bed.ctx, { poolId: group.id, ids: added.members.map((m) => m.id) });
    await bed.ctx.db.delete(members).where(eq(members.poolId, other.id));
    await refusal(/its 2 backend server group\(s\)\.$/);
    await deletePool(bed.ctx, { id: group.id });
    await deletePool(bed.ctx, { id: other.id });
    await deleteLoadBalancer(bed.ctx, { id: lb.id, confirmName: "has-groups" });
    expect(await bed.ctx.db.select().from(loadBalancers).where(eq(loadBalancers.id, lb.id))).toEqual([]);
  });

  it("updates tags atomically: a bad tag list changes nothing", async () => {
    const lb = await createLoadBalancer(bed.ctx, { ...base(), name: "retag", tags: [{ key: "a", value: "1" }] });
    await expect(updateLoadBalancer(bed.ctx, { id: lb.id, name: "retag-2", tags: [{ key: "a" }, { key: "a" }] })).rejects.toBeInstanceOf(AppError);
    const after = await updateLoadBalancer(bed.ctx, { id: lb.id, tags: [{ key: "b", value: "2" }] });
    expect(after.name).toBe("retag");
    expect(after.tags).toEqual([{ key: "b", value: "2" }]);
  });
});

describe("addresses and EIPs across VPCs, projects and concurrent requests", () => {
  it("never gives two load balancers the same private IP, even in overlapping VPCs", async () => {
    const [vpc] = await bed.ctx.db.insert(vpcs).values({ regionId: bed.ctx.scope.regionId, name: "vpc-overlap", cidr: "127.10.0.0/16" }).returning();
    const [subnet] = await bed.ctx.db.insert(subnets).values({ vpcId: vpc!.id, name: "subnet-overlap", cidr: "127.10.0.0/16" }).returning();
    const taken = await createLoadBalancer(bed.ctx, { ...base(), name: "vip-owner", privateIp: "127.10.77.7" });
    await expectRejected(() => createLoadBalancer(bed.ctx, { ...base(), vpcId: vpc!.id, subnetId: subnet!.id, privateIp: taken.privateIp }), { code: "CONFLICT", field: "privateIp", message: /already used/ });
    const automatic = await createLoadBalancer(bed.ctx, { ...base(), vpcId: vpc!.id, subnetId: subnet!.id, name: "vip-auto" });
    const all = (await bed.ctx.db.select({ ip: loadBalancers.privateIp }).from(loadBalancers)).map((r) => r.ip);
    expect(all.filter((ip) => ip === automatic.privateIp)).toHaveLength(1);
  });

  it("binds an EIP to exactly one of two concurrent requests", async () => {
    const a = await createLoadBalancer(bed.ctx, { ...base(), name: "race-a" });
    const b = await createLoadBalancer(bed.ctx, { ...base(), name: "race-b" });
    const eip = await allocateEip(bed.ctx.db, { ...bed.ctx.scope, bandwidthMbit: 5 });
    const results = await Promise.allSettled([bindEip(bed.ctx, { id: a.id, eipId: eip.id }), bindEip(bed.ctx, { id: b.id, eipId: eip.id })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT", field: "eipId" } });
    const [row] = await bed.ctx.db.select().from(eips).where(eq(eips.id, eip.id));
    const winner = results[0]!.status === "fulfilled" ? a : b;
    expect(row!.loadBalancerId).toBe(winner.id);
  });

  it("does not let another enterprise project bind, list or release this project's EIP", async () => {
    const [otherProject] = await bed.ctx.db.insert(projects).values({ name: "other-project" }).returning();
    const otherCtx = { ...bed.ctx, scope: { ...bed.ctx.scope, projectId: otherProject!.id } };
    const eip = await allocateEip(bed.ctx.db, { ...bed.ctx.scope, bandwidthMbit: 5 });
    const theirs = await createLoadBalancer(otherCtx, { ...base(), name: "their-lb" });
    await expect(bindEip(otherCtx, { id: theirs.id, eipId: eip.id })).rejects.toMatchObject({ code: "NOT_FOUND", field: "eipId" });
    await expectRejected(() => createLoadBalancer(otherCtx, { ...base(), networkType: "public", name: "their-public", eip: { mode: "existing", eipId: eip.id } }), { code: "NOT_FOUND", field: "eipId", message: /enterprise project/ });
    const { listEips } = await import("../eip/list-eips");
    const { releaseEip } = await import("../eip/release-eip");
    expect((await listEips(otherCtx, {})).items.map((e) => e.id)).not.toContain(eip.id);
    await expect(releaseEip(otherCtx, { id: eip.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await listEips(bed.ctx, {})).items.map((e) => e.id)).toContain(eip.id);
  });
});

describe("list and export", () => {
  it("filters by name, IP and tag, pages and sorts", async () => {
    await createLoadBalancer(bed.ctx, { ...base(), name: "filter-me", privateIp: "127.10.9.9", tags: [{ key: "env", value: "prod" }] });
    expect((await listLoadBalancers(bed.ctx, { name: "filter-m" })).items.map((l) => l.name)).toEqual(["filter-me"]);
    expect((await listLoadBalancers(bed.ctx, { ip: "127.10.9.9" })).items.map((l) => l.name)).toEqual(["filter-me"]);
    expect((await listLoadBalancers(bed.ctx, { tag: "env=prod" })).items.map((l) => l.name)).toEqual(["filter-me"]);
    expect((await listLoadBalancers(bed.ctx, { tag: "env=dev" })).items).toEqual([]);
    expect((await listLoadBalancers(bed.ctx, { tag: "env" })).total).toBe(1);
    // Search by EIP address: both the page and the total count only the LB holding it.
    const withEip = await createLoadBalancer(bed.ctx, { ...base(), networkType: "public", name: "eip-search", eip: { mode: "new", bandwidthMbit: 3 } });
    const byEip = await listLoadBalancers(bed.ctx, { ip: withEip.eip!.address });
    expect(byEip.items.map((l) => l.name)).toEqual(["eip-search"]);
    expect(byEip.total).toBe(1);
    const page = await listLoadBalancers(bed.ctx, { pageSize: 2, page: 1, sortBy: "name", sortDirection: "asc" });
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(2);
  });

  it("exports the filtered list as a real xlsx and csv", async () => {
    const readXlsxFile = (await import("read-excel-file/node")).default;
    const file = await exportLoadBalancers(bed.ctx, { name: "filter-me" }, "xlsx", new Date("2026-11-21T10:00:00Z"));
    expect(file.fileName).toBe("load-balancers-2026-11-21.xlsx");
    const [sheet] = (await readXlsxFile(file.body)) as unknown as { sheet: string; data: unknown[][] }[];
    expect(sheet!.sheet).toBe("Load Balancers");
    const rows = sheet!.data;
    expect(rows[0]).toContain("Private IP Address");
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain("filter-me");
    expect(rows[1]).toContain("127.10.9.9");
    const csv = await exportLoadBalancers(bed.ctx, {}, "csv");
    expect(csv.body.toString("utf8")).toMatch(/filter-me,/);
    // A description that looks like a formula is exported as text, not run by the spreadsheet.
    await createLoadBalancer(bed.ctx, { ...base(), name: "formula", description: "=HYPERLINK(1)" });
    const escaped = await exportLoadBalancers(bed.ctx, { name: "formula" }, "csv");
    expect(escaped.body.toString("utf8")).toContain(",'=HYPERLINK(1),");
  });
});
