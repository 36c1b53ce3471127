import "server-only";
import { count, eq } from "drizzle-orm";
import { alarmRules, eips, loadBalancers, logGroups, projects } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { projectIdSchema } from "./project.schemas";

/** Deletes an enterprise project; refused while it holds load balancers, EIPs, log groups or alarm rules, and for the last project. */
export async function deleteProject(ctx: ServiceContext, rawInput: unknown): Promise<{ id: string; name: string }> {
  const { id } = parseInput(projectIdSchema, rawInput);
  return ctx.db.transaction(async (tx) => {
    // Lock every project: the "not the last one" check must see concurrent deletes.
    const all = await tx.select().from(projects).for("update");
    const project = all.find((p) => p.id === id);
    if (!project) throw new AppError("NOT_FOUND", "Enterprise project: not found", "id");
    if (all.length === 1) throw new AppError("PRECONDITION_FAILED", `Enterprise project ${project.name} cannot be deleted: it is the only enterprise project; the console needs at least one.`);
    const [{ n: lbCount } = { n: 0 }] = await tx.select({ n: count() }).from(loadBalancers).where(eq(loadBalancers.projectId, project.id));
    const [{ n: eipCount } = { n: 0 }] = await tx.select({ n: count() }).from(eips).where(eq(eips.projectId, project.id));
    const [{ n: groupCount } = { n: 0 }] = await tx.select({ n: count() }).from(logGroups).where(eq(logGroups.projectId, project.id));
    const [{ n: ruleCount } = { n: 0 }] = await tx.select({ n: count() }).from(alarmRules).where(eq(alarmRules.projectId, project.id));
    const remaining = [
      lbCount && `${lbCount} load balancer(s)`,
      eipCount && `${eipCount} EIP(s)`,
      groupCount && `${groupCount} log group(s)`,
      ruleCount && `${ruleCount} alarm rule(s)`,
    ].filter(Boolean);
    if (remaining.length)
      throw new AppError("PRECONDITION_FAILED", `Enterprise project ${project.name} cannot be deleted: it still holds ${remaining.join(", ")}. Delete or release them first.`);
    await tx.delete(projects).where(eq(projects.id, project.id));
    return { id: project.id, name: project.name };
  });
}
