CREATE TABLE "certificates" (
	"id" text PRIMARY KEY NOT NULL,
	"region_id" text NOT NULL,
	"project_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"type" text NOT NULL,
	"certificate_pem" text NOT NULL,
	"private_key_sealed" text,
	"domain_name" text,
	"subject" text NOT NULL,
	"issuer" text NOT NULL,
	"subject_alt_names" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"fingerprint256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forwarding_policies" (
	"id" text PRIMARY KEY NOT NULL,
	"listener_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"domain_name" text,
	"url" text,
	"url_match_rule" text DEFAULT 'EXACT' NOT NULL,
	"pool_id" text NOT NULL,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "listener_sni_certificates" (
	"listener_id" text NOT NULL,
	"certificate_id" text NOT NULL,
	CONSTRAINT "listener_sni_certificates_listener_id_certificate_id_pk" PRIMARY KEY("listener_id","certificate_id")
);
--> statement-breakpoint
CREATE TABLE "redirects" (
	"id" text PRIMARY KEY NOT NULL,
	"listener_id" text NOT NULL,
	"target_listener_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "listeners" ADD COLUMN "server_certificate_id" text;--> statement-breakpoint
ALTER TABLE "listeners" ADD COLUMN "http2_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "listeners" ADD COLUMN "ca_certificate_id" text;--> statement-breakpoint
ALTER TABLE "listeners" ADD COLUMN "sni_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "listeners" ADD COLUMN "access_control_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "listeners" ADD COLUMN "access_control_whitelist" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forwarding_policies" ADD CONSTRAINT "forwarding_policies_listener_id_listeners_id_fk" FOREIGN KEY ("listener_id") REFERENCES "public"."listeners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forwarding_policies" ADD CONSTRAINT "forwarding_policies_pool_id_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."pools"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listener_sni_certificates" ADD CONSTRAINT "listener_sni_certificates_listener_id_listeners_id_fk" FOREIGN KEY ("listener_id") REFERENCES "public"."listeners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listener_sni_certificates" ADD CONSTRAINT "listener_sni_certificates_certificate_id_certificates_id_fk" FOREIGN KEY ("certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redirects" ADD CONSTRAINT "redirects_listener_id_listeners_id_fk" FOREIGN KEY ("listener_id") REFERENCES "public"."listeners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "redirects" ADD CONSTRAINT "redirects_target_listener_id_listeners_id_fk" FOREIGN KEY ("target_listener_id") REFERENCES "public"."listeners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "certificates_scope_idx" ON "certificates" USING btree ("region_id","project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "forwarding_policies_listener_url_uq" ON "forwarding_policies" USING btree ("listener_id","url");--> statement-breakpoint
CREATE UNIQUE INDEX "forwarding_policies_listener_position_uq" ON "forwarding_policies" USING btree ("listener_id","position");--> statement-breakpoint
CREATE INDEX "forwarding_policies_pool_idx" ON "forwarding_policies" USING btree ("pool_id");--> statement-breakpoint
CREATE INDEX "listener_sni_certificates_cert_idx" ON "listener_sni_certificates" USING btree ("certificate_id");--> statement-breakpoint
CREATE UNIQUE INDEX "redirects_listener_uq" ON "redirects" USING btree ("listener_id");--> statement-breakpoint
CREATE INDEX "redirects_target_idx" ON "redirects" USING btree ("target_listener_id");--> statement-breakpoint
ALTER TABLE "listeners" ADD CONSTRAINT "listeners_server_certificate_id_certificates_id_fk" FOREIGN KEY ("server_certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listeners" ADD CONSTRAINT "listeners_ca_certificate_id_certificates_id_fk" FOREIGN KEY ("ca_certificate_id") REFERENCES "public"."certificates"("id") ON DELETE no action ON UPDATE no action;