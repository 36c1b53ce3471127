import "server-only";
import type { Database } from "@/db/client";
import type { ConfigChangedSignal } from "./config-changed";

/** The transaction handle Drizzle passes to `db.transaction`'s callback. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** What a data-plane mutation needs: the database and the control plane's change signal. */
export interface ConfigChangeContext {
  db: Database;
  configChanged: ConfigChangedSignal;
}

/**
 * Runs `work` in one transaction and, only after it committed, signals the control plane that the
 * configuration changed (once). When `work` throws, the transaction rolls back, nothing is signalled and
 * the error propagates. Every service that changes what the engine serves goes through here.
 * Inside an audited tRPC mutation `ctx.db` is already the call's transaction (so this one is a savepoint)
 * and `ctx.configChanged` is deferred by the audit middleware until that outer transaction committed.
 */
export async function commitConfigChange<T>(ctx: ConfigChangeContext, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const result = await ctx.db.transaction(work);
  ctx.configChanged();
  return result;
}
