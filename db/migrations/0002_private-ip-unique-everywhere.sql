DROP INDEX "load_balancers_subnet_ip_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "load_balancers_private_ip_uq" ON "load_balancers" USING btree ("private_ip");