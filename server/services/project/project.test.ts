import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { eips, eipPools, listeners, loadBalancers, logGroups, projects } from "@/db/schema";
import { createServiceTestBed, type ServiceTestBed } from "../test-support";
import { expectAppError } from "../expect-app-error";
import { listScopes } from "../scope/list-scopes";
import { createProject } from "./create-project";
import { deleteProject } from "./delete-project";
import { listProjects } from "./list-projects";
import * as projectColumns from "@/db/schema/projects";
import { DEFAULT_LISTENER_QUOTA, DEFAULT_LOAD_BALANCER_QUOTA } from "./project.schemas";
import { updateProject } from "./update-project";

let bed: ServiceTestBed;
beforeAll(async () => {
  bed = await createServiceTestBed();
});
afterAll(async () => {
  await bed?.close();
});

const allProjects = () => bed.ctx.db.select().from(projects).orderBy(projects.name);

describe("enterprise projects", () => {
  it("uses the same default quotas as the database columns", () => {
    expect(DEFAULT_LOAD_BALANCER_QUOTA).toBe(projectColumns.DEFAULT_LOAD_BALANCER_QUOTA);
    expect(DEFAULT_LISTENER_QUOTA).toBe(projectColumns.DEFAULT_LISTENER_QUOTA);
  });

  it("creates a project with the default quotas (50 load balancers, 100 listeners) that the selector offers", async () => {
    const project = await createProject(bed.ctx, { name: "team-a", description: "Team A" });
    expect(project).toMatchObject({ name: "team-a", description: "Team A", loadBalancerQuota: 50, listenerQuota: 100, loadBalancerCount: 0 });
    expect((await listScopes(bed.ctx)).projects.map((p) => p.name)).toEqual(["default", "team-a"]);
    const custom = await createProject(bed.ctx, { name: "team-b", loadBalancerQuota: 3, listenerQuota: 10000 });
    expect(custom).toMatchObject({ loadBalancerQuota: 3, listenerQuota: 10000, description: "" });
  });

  it("rejects quotas outside 1–10000 and bad names, naming the field, and writes nothing", async () => {
    await expectAppError(() => createProject(bed.ctx, { name: "q", loadBalancerQuota: 0 }), { code: "BAD_REQUEST", field: "loadBalancerQuota", message: /Load balancer quota: must be between 1 and 10000/ }, allProjects);
    await expectAppError(() => createProject(bed.ctx, { name: "q", listenerQuota: 10001 }), { field: "listenerQuota", message: /Listener quota: must be between 1 and 10000/ }, allProjects);
    await expectAppError(() => createProject(bed.ctx, { name: "q", listenerQuota: 2.5 }), { field: "listenerQuota", message: /whole number/ }, allProjects);
    await expectAppError(() => createProject(bed.ctx, { name: "" }), { field: "name", message: /Enterprise project name: enter 1 to 64/ }, allProjects);
    await expectAppError(() => createProject(bed.ctx, { name: "a b" }), { field: "name", message: /only letters, digits/ }, allProjects);
    await expectAppError(() => createProject(bed.ctx, { name: "ok", description: "<script>" }), { field: "description", message: /angle brackets/ }, allProjects);
    await expectAppError(() => createProject(bed.ctx, { name: "team-a" }), { code: "CONFLICT", field: "name", message: /team-a already exists/ }, allProjects);
  });

  it("modifies name, description and quotas, but not below what the project uses", async () => {
    const teamB = (await listProjects(bed.ctx)).find((p) => p.name === "team-b")!;
    const [lb] = await bed.ctx.db
      .insert(loadBalancers)
      .values({ name: "b-lb", regionId: bed.ctx.scope.regionId, projectId: teamB.id, vpcId: bed.vpcId, subnetId: bed.subnetId, privateIp: "127.10.0.9" })
      .returning();
    await bed.ctx.db.insert(listeners).values([
      { loadBalancerId: lb!.id, name: "l1", protocol: "TCP", port: 80, portClass: "STREAM" },
      { loadBalancerId: lb!.id, name: "l2", protocol: "TCP", port: 81, portClass: "STREAM" },
    ]);
    const updated = await updateProject(bed.ctx, { id: teamB.id, name: "team-b2", description: "renamed", loadBalancerQuota: 1, listenerQuota: 2 });
    expect(updated).toMatchObject({ name: "team-b2", description: "renamed", loadBalancerQuota: 1, listenerQuota: 2, loadBalancerCount: 1, listenerCount: 2 });
    await expectAppError(() => updateProject(bed.ctx, { id: teamB.id, listenerQuota: 1 }), { code: "BAD_REQUEST", field: "listenerQuota", message: /already has 2 listeners; the quota cannot be lower/ }, allProjects);
    await expectAppError(() => updateProject(bed.ctx, { id: teamB.id, name: "team-a" }), { code: "CONFLICT", field: "name", message: /already exists/ }, allProjects);
    await expectAppError(() => updateProject(bed.ctx, { id: teamB.id, loadBalancerQuota: 10001 }), { field: "loadBalancerQuota", message: /between 1 and 10000/ }, allProjects);
  });

  it("refuses deleting a project holding load balancers or EIPs, and the last project", async () => {
    const teamB = (await listProjects(bed.ctx)).find((p) => p.name === "team-b2")!;
    await expectAppError(() => deleteProject(bed.ctx, { id: teamB.id }), { code: "PRECONDITION_FAILED", message: /team-b2 cannot be deleted: it still holds 1 load balancer\(s\)/ }, allProjects);
    await bed.ctx.db.delete(listeners);
    await bed.ctx.db.delete(loadBalancers).where(eq(loadBalancers.projectId, teamB.id));
    const [pool] = await bed.ctx.db.select().from(eipPools);
    await bed.ctx.db.insert(eips).values({ poolId: pool!.id, projectId: teamB.id, address: "127.20.0.2", bandwidthMbit: 1 });
    await expectAppError(() => deleteProject(bed.ctx, { id: teamB.id }), { message: /still holds 1 EIP\(s\)/ }, allProjects);
    await bed.ctx.db.delete(eips);
    expect(await deleteProject(bed.ctx, { id: teamB.id })).toEqual({ id: teamB.id, name: "team-b2" });
    const teamA = (await listProjects(bed.ctx)).find((p) => p.name === "team-a")!;
    await deleteProject(bed.ctx, { id: teamA.id });
    const [only] = await allProjects();
    await expectAppError(() => deleteProject(bed.ctx, { id: only!.id }), { code: "PRECONDITION_FAILED", message: /only enterprise project/ }, allProjects);
  });

  it("refuses deleting a project holding log groups (a foreign key made it an internal error), naming them", async () => {
    const keep = await createProject(bed.ctx, { name: "team-logs-keep" });
    const logs = await createProject(bed.ctx, { name: "team-logs" });
    await bed.ctx.db.insert(logGroups).values({ projectId: logs.id, name: "group-1" });
    await expectAppError(() => deleteProject(bed.ctx, { id: logs.id }), { code: "PRECONDITION_FAILED", message: /team-logs cannot be deleted: it still holds 1 log group\(s\)/ }, allProjects);
    await bed.ctx.db.delete(logGroups).where(eq(logGroups.projectId, logs.id));
    await deleteProject(bed.ctx, { id: logs.id });
    await deleteProject(bed.ctx, { id: keep.id });
  });
});
