import "server-only";
import { getTableName, sql, type Column, type SQL } from "drizzle-orm";

/**
 * `"table"."column"`: Drizzle writes columns unqualified inside `sql` in a single-table select, so a
 * correlated subquery such as `where eips.pool_id = eip_pools.id` would compare two columns of the inner
 * table. Use this for every column of such a subquery.
 */
export function qualified(column: Column): SQL {
  return sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
}
