import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MemberHealth } from "@/engine/protocol/snapshot.types";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { createPool } from "../pool/create-pool";
import { updateHealthMonitor } from "../health-monitor/update-health-monitor";
import { backendRowCounts, createTestLoadBalancer } from "../listener/test-fixtures";
import { addMembers } from "./add-members";
import { updateMember } from "./update-member";
import { removeMembers } from "./remove-members";
import { listMembers } from "./list-members";
import { memberHealthStatus } from "./member-health";
import { fixedEngineView } from "../../control-plane/engine-view";

let bed: ServiceTestBed;
let lbId: string;
beforeAll(async () => {
  bed = await createServiceTestBed();
  lbId = (await createTestLoadBalancer(bed, "elb-members")).id;
});
afterAll(async () => {
  await bed?.close();
});

const counts = () => backendRowCounts(bed.ctx.db);
let seq = 0;
const newGroup = (extra: Record<string, unknown> = {}) => createPool(bed.ctx, { loadBalancerId: lbId, name: `g-${++seq}`, protocol: "TCP", algorithm: "ROUND_ROBIN", ...extra });
const engine = (running: boolean, reports: Record<string, MemberHealth> = {}) => fixedEngineView({ running, memberHealth: reports });

describe("Add backend servers (guide 4.3)", () => {
  it("adds several servers at once with default weight 1 and the IP address as default name", async () => {
    const group = await newGroup();
    const added = await addMembers(bed.ctx, {
      poolId: group.id,
      members: [
        { name: "web-1", address: "10.0.0.11", port: 8080, weight: 10 },
        { address: "10.0.0.12", port: 8080 },
        { name: "", address: "10.0.0.13", port: 8081, weight: 0 },
      ],
    });
    expect(added.members.map((m) => m.name)).toEqual(["web-1", "10.0.0.12", "10.0.0.13"]);
    expect(added.name).toBe("web-1,10.0.0.12,10.0.0.13");
    const listed = await listMembers(bed.ctx, { poolId: group.id });
    expect(listed.map((m) => [m.name, m.address, m.port, m.weight])).toEqual([
      ["web-1", "10.0.0.11", 8080, 10],
      ["10.0.0.12", "10.0.0.12", 8080, 1],
      ["10.0.0.13", "10.0.0.13", 8081, 0],
    ]);
  });

  it("validates address, Backend Port, Weight and name per row, naming the row's field", async () => {
    const group = await newGroup();
    const one = (member: Record<string, unknown>) => addMembers(bed.ctx, { poolId: group.id, members: [{ address: "10.0.0.1", port: 80, ...member }] });
    for (const address of ["300.1.1.1", "10.0.0", "abc", "", "01.2.3.4"])
      await expectAppError(() => one({ address }), { field: "members.0.address", message: /IP Address: enter an IPv4 address/ }, counts);
    await expectAppError(() => one({ address: "0.0.0.0" }), { field: "members.0.address", message: /0\.0\.0\.0 and 255\.255\.255\.255 cannot be backend servers/ }, counts);
    await expectAppError(() => one({ address: "224.0.0.1" }), { field: "members.0.address", message: /multicast/ }, counts);
    for (const port of [0, 65536, 1.5])
      await expectAppError(() => one({ port }), { field: "members.0.port", message: /Backend Port: must be a whole number between 1 and 65535/ }, counts);
    for (const weight of [-1, 101, 2.5])
      await expectAppError(() => one({ weight }), { field: "members.0.weight", message: /Weight: must be a whole number between 0 and 100/ }, counts);
    await expectAppError(() => one({ name: "bad name" }), { field: "members.0.name", message: /Name: can contain only letters/ }, counts);
    await expectAppError(() => addMembers(bed.ctx, { poolId: group.id, members: [] }), { field: "members", message: /add at least one backend server/ }, counts);
    await expectAppError(() => addMembers(bed.ctx, { poolId: "missing", members: [{ address: "10.0.0.1", port: 80 }] }), { code: "NOT_FOUND", field: "poolId", message: /Backend Server Group: not found/ }, counts);
    expect((await one({ port: 65535, weight: 100 })).members).toHaveLength(1);
  });

  it("refuses a duplicate address:port in the list or in the group, adding none of the batch", async () => {
    const group = await newGroup();
    await addMembers(bed.ctx, { poolId: group.id, members: [{ name: "first", address: "10.2.0.1", port: 80 }] });
    await expectAppError(
      () => addMembers(bed.ctx, { poolId: group.id, members: [{ address: "10.2.0.2", port: 80 }, { address: "10.2.0.2", port: 80 }] }),
      { field: "members.1.port", message: /Backend Port: 10\.2\.0\.2:80 is in the list twice/ },
      counts,
    );
    await expectAppError(
      () => addMembers(bed.ctx, { poolId: group.id, members: [{ address: "10.2.0.3", port: 80 }, { address: "10.2.0.1", port: 80 }] }),
      { code: "CONFLICT", field: "members.1.port", message: /10\.2\.0\.1:80 is already in backend server group g-\d+ \(as first\)/ },
      counts,
    );
    // Same address on another port, and the same address:port in another group, are fine.
    await addMembers(bed.ctx, { poolId: group.id, members: [{ address: "10.2.0.1", port: 81 }] });
    const other = await newGroup();
    await addMembers(bed.ctx, { poolId: other.id, members: [{ address: "10.2.0.1", port: 80 }] });
  });
});

describe("Weight and remove", () => {
  it("sets the weight 0–100 (the Weight column) and the name", async () => {
    const group = await newGroup();
    const [member] = (await addMembers(bed.ctx, { poolId: group.id, members: [{ address: "10.3.0.1", port: 80 }] })).members;
    expect(await updateMember(bed.ctx, { id: member!.id, weight: 0 })).toMatchObject({ weight: 0 });
    expect(await updateMember(bed.ctx, { id: member!.id, weight: 100, name: "renamed" })).toMatchObject({ weight: 100, name: "renamed" });
    const snapshot = () => listMembers(bed.ctx, { poolId: group.id });
    await expectAppError(() => updateMember(bed.ctx, { id: member!.id, weight: 101 }), { field: "weight", message: /Weight: must be a whole number between 0 and 100/ }, snapshot);
    await expectAppError(() => updateMember(bed.ctx, { id: member!.id, weight: "5" }), { field: "weight", message: /Weight: enter a number between 0 and 100/ }, snapshot);
    await expectAppError(() => updateMember(bed.ctx, { id: "missing", weight: 5 }), { code: "NOT_FOUND", field: "id", message: /Backend Server: not found/ }, snapshot);
  });

  it("removes one or many; an id outside the group refuses the whole request", async () => {
    const group = await newGroup();
    const other = await newGroup();
    const { members } = await addMembers(bed.ctx, { poolId: group.id, members: [1, 2, 3, 4].map((i) => ({ address: `10.4.0.${i}`, port: 80 })) });
    const [outsider] = (await addMembers(bed.ctx, { poolId: other.id, members: [{ address: "10.4.1.1", port: 80 }] })).members;
    await expectAppError(() => removeMembers(bed.ctx, { poolId: group.id, ids: [members[0]!.id, outsider!.id] }), { code: "NOT_FOUND", field: "ids", message: /1 of the selected backend servers are not in group/ }, counts);
    await expectAppError(() => removeMembers(bed.ctx, { poolId: group.id, ids: [] }), { field: "ids", message: /select the backend servers to be removed/ }, counts);
    expect(await removeMembers(bed.ctx, { poolId: group.id, ids: [members[0]!.id] })).toMatchObject({ removed: 1 });
    expect(await removeMembers(bed.ctx, { poolId: group.id, ids: [members[1]!.id, members[2]!.id, members[2]!.id] })).toMatchObject({ removed: 2 });
    expect((await listMembers(bed.ctx, { poolId: group.id })).map((m) => m.address)).toEqual(["10.4.0.4"]);
  });
});

describe("health shown per backend server", () => {
  it("maps the engine's reports: Healthy, Unhealthy, Unavailable (no report / engine down / not applied yet)", () => {
    const reports = { a: "HEALTHY", b: "UNHEALTHY", c: "NO_MONITOR" } as const;
    expect(memberHealthStatus(true, engine(true, reports), "a")).toBe("HEALTHY");
    expect(memberHealthStatus(true, engine(true, reports), "b")).toBe("UNHEALTHY");
    expect(memberHealthStatus(true, engine(true, reports), "c")).toBe("UNAVAILABLE");
    expect(memberHealthStatus(true, engine(true, reports), "unknown")).toBe("UNAVAILABLE");
    expect(memberHealthStatus(true, engine(false, reports), "a")).toBe("UNAVAILABLE");
    expect(memberHealthStatus(false, engine(true, reports), "a")).toBe("DISABLED");
  });

  it("lists each server with its health; a group without or with a disabled check shows Health check disabled", async () => {
    const checked = await newGroup({ healthMonitor: {} });
    const { members } = await addMembers(bed.ctx, { poolId: checked.id, members: [{ address: "10.5.0.1", port: 80 }, { address: "10.5.0.2", port: 80 }, { address: "10.5.0.3", port: 80 }] });
    const reports = { [members[0]!.id]: "HEALTHY", [members[1]!.id]: "UNHEALTHY" } as const;
    const health = async (poolId: string, source = engine(true, reports)) => (await listMembers({ ...bed.ctx, engine: source }, { poolId })).map((m) => m.health);
    expect(await health(checked.id)).toEqual(["HEALTHY", "UNHEALTHY", "UNAVAILABLE"]);
    expect(await health(checked.id, engine(false, reports))).toEqual(["UNAVAILABLE", "UNAVAILABLE", "UNAVAILABLE"]);
    // Without a control plane (this test process) the real source says Unavailable.
    expect((await listMembers(bed.ctx, { poolId: checked.id })).map((m) => m.health)).toEqual(["UNAVAILABLE", "UNAVAILABLE", "UNAVAILABLE"]);
    await updateHealthMonitor(bed.ctx, { poolId: checked.id, enabled: false });
    expect(await health(checked.id)).toEqual(["DISABLED", "DISABLED", "DISABLED"]);
    const unchecked = await newGroup();
    await addMembers(bed.ctx, { poolId: unchecked.id, members: [{ address: "10.5.1.1", port: 80 }] });
    expect(await health(unchecked.id)).toEqual(["DISABLED"]);
  });

  it("shows passive health (failed connects, ejection) beside the health check result, with or without a check", async () => {
    const checked = await newGroup({ healthMonitor: {} });
    const { members } = await addMembers(bed.ctx, { poolId: checked.id, members: [{ address: "10.6.0.1", port: 80 }, { address: "10.6.0.2", port: 80 }, { address: "10.6.0.3", port: 80 }] });
    const [ejected, failing, fine] = members.map((m) => m.id) as [string, string, string];
    const source = (running: boolean) =>
      fixedEngineView({
        running,
        memberHealth: { [ejected]: "HEALTHY", [failing]: "HEALTHY", [fine]: "HEALTHY" },
        passiveHealth: { [ejected]: { ejected: true, consecutiveFailures: 3 }, [failing]: { ejected: false, consecutiveFailures: 1 }, [fine]: { ejected: false, consecutiveFailures: 0 } },
      });
    const listed = async (poolId: string, running = true) => (await listMembers({ ...bed.ctx, engine: source(running) }, { poolId })).map((m) => [m.health, m.passiveHealth]);
    expect(await listed(checked.id)).toEqual([
      ["HEALTHY", { ejected: true, consecutiveFailures: 3 }],
      ["HEALTHY", { ejected: false, consecutiveFailures: 1 }],
      ["HEALTHY", null],
    ]);
    // The engine's last report is stale once it stopped: nothing is claimed.
    expect(await listed(checked.id, false)).toEqual([
      ["UNAVAILABLE", null],
      ["UNAVAILABLE", null],
      ["UNAVAILABLE", null],
    ]);
    // Passive health works without a health check: still shown with "Health check disabled".
    await updateHealthMonitor(bed.ctx, { poolId: checked.id, enabled: false });
    expect((await listed(checked.id))[0]).toEqual(["DISABLED", { ejected: true, consecutiveFailures: 3 }]);
    // No report at all (this test process runs no engine): null.
    expect((await listMembers(bed.ctx, { poolId: checked.id })).map((m) => m.passiveHealth)).toEqual([null, null, null]);
  });
});
