import "server-only";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import type { ServiceContext } from "../context";
import { listenerIdSchema } from "./listener.schemas";
import { withEngineState, type ListedListener } from "./list-listeners";
import { getListenerView } from "./listener-view";

/** The listener details page (Basic Information, and what the tabs need to know); NOT_FOUND outside the project. */
export async function getListener(ctx: ServiceContext, rawInput: unknown): Promise<ListedListener> {
  const input = parseInput(listenerIdSchema, rawInput);
  const view = await getListenerView(ctx.db, ctx.scope, input.id);
  if (!view) throw new AppError("NOT_FOUND", "Listener: not found (it may have been deleted)", "id");
  return withEngineState(ctx, [view])[0]!;
}
