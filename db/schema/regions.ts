import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAtColumn, idColumn } from "./ids";

/** A region (a data center); resources are created in one and cannot move. */
export const regions = pgTable(
  "regions",
  {
    id: idColumn(),
    /** Short code such as "local-1". */
    code: text("code").notNull(),
    name: text("name").notNull(),
    createdAt: createdAtColumn(),
  },
  (t) => [uniqueIndex("regions_code_uq").on(t.code)],
);
