import "server-only";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { listRedirectsSchema } from "./redirect.schemas";
import { queryRedirectViews, type RedirectView } from "./redirect-view";

/** The Redirects tab of an HTTP listener (at most one row); empty for a listener outside the project. */
export async function listRedirects(ctx: ServiceContext, rawInput: unknown): Promise<RedirectView[]> {
  const input = parseInput(listRedirectsSchema, rawInput);
  return queryRedirectViews(ctx.db, ctx.scope, { listenerId: input.listenerId });
}
