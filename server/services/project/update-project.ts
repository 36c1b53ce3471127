import "server-only";
import { and, eq, ne } from "drizzle-orm";
import { projects } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { updateProjectSchema } from "./project.schemas";
import { queryProjectViews, type ProjectView } from "./list-projects";

/**
 * Modify an enterprise project. A quota cannot go below what the project already uses; the project row is
 * locked, as load balancer creation locks it, so the check and a concurrent creation cannot interleave.
 */
export async function updateProject(ctx: ServiceContext, rawInput: unknown): Promise<ProjectView> {
  const input = parseInput(updateProjectSchema, rawInput);
  await ctx.db.transaction(async (tx) => {
    const [project] = await tx.select().from(projects).where(eq(projects.id, input.id)).for("update");
    if (!project) throw new AppError("NOT_FOUND", "Enterprise project: not found", "id");
    if (input.name !== undefined && input.name !== project.name) {
      const [same] = await tx.select({ id: projects.id }).from(projects).where(and(eq(projects.name, input.name), ne(projects.id, project.id)));
      if (same) throw new AppError("CONFLICT", `Enterprise project name: ${input.name} already exists`, "name");
    }
    const [usage] = await queryProjectViews(tx, project.id);
    if (input.loadBalancerQuota !== undefined && input.loadBalancerQuota < usage!.loadBalancerCount)
      throw new AppError(
        "BAD_REQUEST",
        `Load balancer quota: ${project.name} already has ${usage!.loadBalancerCount} load balancers; the quota cannot be lower than that`,
        "loadBalancerQuota",
      );
    if (input.listenerQuota !== undefined && input.listenerQuota < usage!.listenerCount)
      throw new AppError("BAD_REQUEST", `Listener quota: ${project.name} already has ${usage!.listenerCount} listeners; the quota cannot be lower than that`, "listenerQuota");
    const { id, ...changes } = input;
    if (Object.keys(changes).length) await tx.update(projects).set(changes).where(eq(projects.id, id));
  });
  return (await queryProjectViews(ctx.db, input.id))[0]!;
}
