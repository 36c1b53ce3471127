import "server-only";
import { createTRPCRouter, mutationProcedure, protectedProcedure } from "../../init";
import { createProjectSchema, projectIdSchema, updateProjectSchema } from "../../../services/project/project.schemas";
import { listProjects } from "../../../services/project/list-projects";
import { createProject } from "../../../services/project/create-project";
import { updateProject } from "../../../services/project/update-project";
import { deleteProject } from "../../../services/project/delete-project";

const trace = (name: string) => ({ trace: { name, resourceType: "project" } });

/** Enterprise projects and their quotas, managed under Settings > Regions and Enterprise Projects. */
export const projectRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listProjects(ctx.service)),
  create: mutationProcedure
    .meta(trace("create enterprise project"))
    .input(createProjectSchema)
    .mutation(({ ctx, input }) => createProject(ctx.service, input)),
  update: mutationProcedure
    .meta(trace("update enterprise project"))
    .input(updateProjectSchema)
    .mutation(({ ctx, input }) => updateProject(ctx.service, input)),
  delete: mutationProcedure
    .meta(trace("delete enterprise project"))
    .input(projectIdSchema)
    .mutation(({ ctx, input }) => deleteProject(ctx.service, input)),
});
