CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"load_balancer_quota" integer DEFAULT 50 NOT NULL,
	"listener_quota" integer DEFAULT 100 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "eip_pools" (
	"id" text PRIMARY KEY NOT NULL,
	"region_id" text NOT NULL,
	"name" text NOT NULL,
	"cidr" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subnets" (
	"id" text PRIMARY KEY NOT NULL,
	"vpc_id" text NOT NULL,
	"name" text NOT NULL,
	"cidr" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vpcs" (
	"id" text PRIMARY KEY NOT NULL,
	"region_id" text NOT NULL,
	"name" text NOT NULL,
	"cidr" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "eips" (
	"id" text PRIMARY KEY NOT NULL,
	"pool_id" text NOT NULL,
	"project_id" text NOT NULL,
	"address" text NOT NULL,
	"type" text DEFAULT 'dynamic_bgp' NOT NULL,
	"bandwidth_mbit" integer NOT NULL,
	"load_balancer_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "load_balancer_tags" (
	"load_balancer_id" text NOT NULL,
	"key" text NOT NULL,
	"value" text DEFAULT '' NOT NULL,
	CONSTRAINT "load_balancer_tags_load_balancer_id_key_pk" PRIMARY KEY("load_balancer_id","key")
);
--> statement-breakpoint
CREATE TABLE "load_balancers" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"region_id" text NOT NULL,
	"project_id" text NOT NULL,
	"vpc_id" text NOT NULL,
	"subnet_id" text NOT NULL,
	"private_ip" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "listeners" (
	"id" text PRIMARY KEY NOT NULL,
	"load_balancer_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"protocol" text NOT NULL,
	"port" integer NOT NULL,
	"port_class" text NOT NULL,
	"default_pool_id" text,
	"idle_timeout_seconds" integer DEFAULT 300 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pools" (
	"id" text PRIMARY KEY NOT NULL,
	"load_balancer_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"protocol" text NOT NULL,
	"algorithm" text NOT NULL,
	"sticky_session_type" text,
	"cookie_name" text,
	"stickiness_duration_minutes" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" text PRIMARY KEY NOT NULL,
	"pool_id" text NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"port" integer NOT NULL,
	"weight" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "health_monitors" (
	"id" text PRIMARY KEY NOT NULL,
	"pool_id" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"protocol" text NOT NULL,
	"domain_name" text,
	"port" integer,
	"interval_seconds" integer DEFAULT 5 NOT NULL,
	"timeout_seconds" integer DEFAULT 3 NOT NULL,
	"path" text DEFAULT '/' NOT NULL,
	"max_retries" integer DEFAULT 3 NOT NULL,
	"expected_codes" jsonb DEFAULT '[200,202,401]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "traces" (
	"id" text PRIMARY KEY NOT NULL,
	"trace_name" text NOT NULL,
	"resource_type" text NOT NULL,
	"resource_id" text,
	"resource_name" text,
	"user_name" text NOT NULL,
	"source_ip" text NOT NULL,
	"code" text NOT NULL,
	"status" text NOT NULL,
	"request" jsonb,
	"response" jsonb,
	"project_id" text,
	"region_id" text,
	"time" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eip_pools" ADD CONSTRAINT "eip_pools_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subnets" ADD CONSTRAINT "subnets_vpc_id_vpcs_id_fk" FOREIGN KEY ("vpc_id") REFERENCES "public"."vpcs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vpcs" ADD CONSTRAINT "vpcs_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eips" ADD CONSTRAINT "eips_pool_id_eip_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."eip_pools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eips" ADD CONSTRAINT "eips_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eips" ADD CONSTRAINT "eips_load_balancer_id_load_balancers_id_fk" FOREIGN KEY ("load_balancer_id") REFERENCES "public"."load_balancers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_balancer_tags" ADD CONSTRAINT "load_balancer_tags_load_balancer_id_load_balancers_id_fk" FOREIGN KEY ("load_balancer_id") REFERENCES "public"."load_balancers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_balancers" ADD CONSTRAINT "load_balancers_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_balancers" ADD CONSTRAINT "load_balancers_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_balancers" ADD CONSTRAINT "load_balancers_vpc_id_vpcs_id_fk" FOREIGN KEY ("vpc_id") REFERENCES "public"."vpcs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_balancers" ADD CONSTRAINT "load_balancers_subnet_id_subnets_id_fk" FOREIGN KEY ("subnet_id") REFERENCES "public"."subnets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listeners" ADD CONSTRAINT "listeners_load_balancer_id_load_balancers_id_fk" FOREIGN KEY ("load_balancer_id") REFERENCES "public"."load_balancers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listeners" ADD CONSTRAINT "listeners_default_pool_id_pools_id_fk" FOREIGN KEY ("default_pool_id") REFERENCES "public"."pools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pools" ADD CONSTRAINT "pools_load_balancer_id_load_balancers_id_fk" FOREIGN KEY ("load_balancer_id") REFERENCES "public"."load_balancers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_pool_id_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."pools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_monitors" ADD CONSTRAINT "health_monitors_pool_id_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."pools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_uq" ON "users" USING btree ("username");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "regions_code_uq" ON "regions" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "projects_name_uq" ON "projects" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "eip_pools_region_name_uq" ON "eip_pools" USING btree ("region_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "subnets_vpc_name_uq" ON "subnets" USING btree ("vpc_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "vpcs_region_name_uq" ON "vpcs" USING btree ("region_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "eips_address_uq" ON "eips" USING btree ("address");--> statement-breakpoint
CREATE UNIQUE INDEX "eips_load_balancer_uq" ON "eips" USING btree ("load_balancer_id");--> statement-breakpoint
CREATE INDEX "eips_pool_idx" ON "eips" USING btree ("pool_id");--> statement-breakpoint
CREATE UNIQUE INDEX "load_balancers_subnet_ip_uq" ON "load_balancers" USING btree ("subnet_id","private_ip");--> statement-breakpoint
CREATE INDEX "load_balancers_project_idx" ON "load_balancers" USING btree ("project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "listeners_lb_port_uq" ON "listeners" USING btree ("load_balancer_id","port_class","port");--> statement-breakpoint
CREATE INDEX "listeners_pool_idx" ON "listeners" USING btree ("default_pool_id");--> statement-breakpoint
CREATE UNIQUE INDEX "members_pool_addr_port_uq" ON "members" USING btree ("pool_id","address","port");--> statement-breakpoint
CREATE INDEX "members_pool_idx" ON "members" USING btree ("pool_id");--> statement-breakpoint
CREATE UNIQUE INDEX "health_monitors_pool_uq" ON "health_monitors" USING btree ("pool_id");--> statement-breakpoint
CREATE INDEX "traces_time_idx" ON "traces" USING btree ("time");