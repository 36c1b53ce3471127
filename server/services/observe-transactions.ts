import type { ServiceContext } from "./context";

/**
 * Test support: the given context with its real database wrapped so every `db.transaction` records
 * "commit" or "rollback" when it settles, and a change signal that records "changed". The order of
 * `events` shows whether a mutation signalled after committing, before it, or without a transaction.
 */
export function observeTransactions(ctx: ServiceContext): { ctx: ServiceContext; events: string[] } {
  const events: string[] = [];
  const transaction: ServiceContext["db"]["transaction"] = async (work, config) => {
    try {
      const result = await ctx.db.transaction(work, config);
      events.push("commit");
      return result;
    } catch (error) {
      events.push("rollback");
      throw error;
    }
  };
  const db = new Proxy(ctx.db, { get: (target, property) => (property === "transaction" ? transaction : Reflect.get(target, property, target)) });
  return { ctx: { ...ctx, db, configChanged: () => events.push("changed") }, events };
}
