import "server-only";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { redirects } from "@/db/schema";
import { AppError } from "../../errors";
import type { Scope } from "../context";
import { requireListener } from "../listener/require-listener";

/** Loads a redirect of the current project for a change, holding its listener's (and load balancer's) row lock. */
export async function requireRedirect(db: Database, scope: Scope, id: string) {
  const notFound = () => new AppError("NOT_FOUND", "Redirect: not found (it may have been deleted)", "id");
  const [found] = await db.select({ listenerId: redirects.listenerId }).from(redirects).where(eq(redirects.id, id));
  if (!found) throw notFound();
  const { listener } = await requireListener(db, scope, found.listenerId).catch(() => {
    throw notFound();
  });
  const [redirect] = await db.select().from(redirects).where(eq(redirects.id, id)).for("update");
  if (!redirect) throw notFound();
  return { redirect, listener };
}
