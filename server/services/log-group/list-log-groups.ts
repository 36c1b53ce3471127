import "server-only";
import type { ServiceContext } from "../context";
import { queryLogGroupViews, type LogGroupView } from "./log-group-view";

/** The Log Management page's list: every log group of the current project, by name. */
export async function listLogGroups(ctx: ServiceContext): Promise<LogGroupView[]> {
  return queryLogGroupViews(ctx.db, ctx.scope);
}
