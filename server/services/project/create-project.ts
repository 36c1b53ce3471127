import "server-only";
import { eq } from "drizzle-orm";
import { projects } from "@/db/schema";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { createProjectSchema } from "./project.schemas";
import type { ProjectView } from "./list-projects";

/** Create Enterprise Project: a unique name, a description and its quotas (default 50 load balancers, 100 listeners). */
export async function createProject(ctx: ServiceContext, rawInput: unknown): Promise<ProjectView> {
  const input = parseInput(createProjectSchema, rawInput);
  return ctx.db.transaction(async (tx) => {
    const [same] = await tx.select({ id: projects.id }).from(projects).where(eq(projects.name, input.name));
    if (same) throw new AppError("CONFLICT", `Enterprise project name: ${input.name} already exists`, "name");
    const [project] = await tx.insert(projects).values(input).returning();
    return { ...project!, loadBalancerCount: 0, listenerCount: 0, eipCount: 0 };
  });
}
