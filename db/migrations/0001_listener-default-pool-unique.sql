DROP INDEX "listeners_pool_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "listeners_default_pool_uq" ON "listeners" USING btree ("default_pool_id");