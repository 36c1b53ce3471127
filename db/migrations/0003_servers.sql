CREATE TABLE "servers" (
	"id" text PRIMARY KEY NOT NULL,
	"subnet_id" text NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "servers" ADD CONSTRAINT "servers_subnet_id_subnets_id_fk" FOREIGN KEY ("subnet_id") REFERENCES "public"."subnets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "servers_subnet_address_uq" ON "servers" USING btree ("subnet_id","address");--> statement-breakpoint
CREATE INDEX "servers_subnet_idx" ON "servers" USING btree ("subnet_id");