CREATE TABLE "metric_points" (
	"resolution_seconds" integer NOT NULL,
	"object_kind" text NOT NULL,
	"object_id" text NOT NULL,
	"load_balancer_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"samples" integer DEFAULT 1 NOT NULL,
	"m1_cps" double precision,
	"m2_act_conn" double precision,
	"m3_inact_conn" double precision,
	"m4_ncps" double precision,
	"m5_in_pps" double precision,
	"m6_out_pps" double precision,
	"m7_in_Bps" double precision,
	"m8_out_Bps" double precision,
	"m9_abnormal_servers" double precision,
	"ma_normal_servers" double precision,
	"mb_l7_queries" double precision,
	"mc_l7_http_2xx" double precision,
	"md_l7_http_3xx" double precision,
	"me_l7_http_4xx" double precision,
	"mf_l7_http_5xx" double precision,
	"m10_l7_http_other_status" double precision,
	"m11_l7_http_404" double precision,
	"m12_l7_http_499" double precision,
	"m13_l7_http_502" double precision,
	"m14_l7_rt" double precision,
	CONSTRAINT "metric_points_resolution_seconds_object_id_at_pk" PRIMARY KEY("resolution_seconds","object_id","at")
);
--> statement-breakpoint
CREATE TABLE "metrics_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "metrics_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "alarm_history" (
	"id" text PRIMARY KEY NOT NULL,
	"rule_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"value" double precision,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alarm_notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"rule_id" text NOT NULL,
	"history_id" text NOT NULL,
	"url" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"next_attempt_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alarm_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"resource_type" text DEFAULT 'ELB' NOT NULL,
	"dimension" text NOT NULL,
	"load_balancer_id" text NOT NULL,
	"listener_id" text,
	"object_name" text NOT NULL,
	"metric" text NOT NULL,
	"statistic" text NOT NULL,
	"period_seconds" integer NOT NULL,
	"comparison" text NOT NULL,
	"threshold" double precision NOT NULL,
	"consecutive_periods" integer NOT NULL,
	"severity" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"webhook_url" text,
	"state" text DEFAULT 'INSUFFICIENT_DATA' NOT NULL,
	"state_changed_at" timestamp with time zone,
	"last_evaluated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_groups" (
	"id" text PRIMARY KEY NOT NULL,
	"project_id" text NOT NULL,
	"name" text NOT NULL,
	"retention_days" integer DEFAULT 7 NOT NULL,
	"max_size_megabytes" integer DEFAULT 10240 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_streams" (
	"id" text PRIMARY KEY NOT NULL,
	"group_id" text NOT NULL,
	"name" text NOT NULL,
	"syslog_protocol" text,
	"syslog_host" text,
	"syslog_port" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "load_balancers" ADD COLUMN "access_log_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "load_balancers" ADD COLUMN "access_log_stream_id" text;--> statement-breakpoint
ALTER TABLE "alarm_history" ADD CONSTRAINT "alarm_history_rule_id_alarm_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."alarm_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarm_notifications" ADD CONSTRAINT "alarm_notifications_rule_id_alarm_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."alarm_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarm_notifications" ADD CONSTRAINT "alarm_notifications_history_id_alarm_history_id_fk" FOREIGN KEY ("history_id") REFERENCES "public"."alarm_history"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarm_rules" ADD CONSTRAINT "alarm_rules_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_groups" ADD CONSTRAINT "log_groups_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_streams" ADD CONSTRAINT "log_streams_group_id_log_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."log_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metric_points_lb_idx" ON "metric_points" USING btree ("resolution_seconds","load_balancer_id","at");--> statement-breakpoint
CREATE INDEX "metric_points_at_idx" ON "metric_points" USING btree ("resolution_seconds","at");--> statement-breakpoint
CREATE INDEX "alarm_history_rule_idx" ON "alarm_history" USING btree ("rule_id","at");--> statement-breakpoint
CREATE INDEX "alarm_notifications_rule_idx" ON "alarm_notifications" USING btree ("rule_id","created_at");--> statement-breakpoint
CREATE INDEX "alarm_notifications_due_idx" ON "alarm_notifications" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "alarm_rules_project_idx" ON "alarm_rules" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "alarm_rules_lb_idx" ON "alarm_rules" USING btree ("load_balancer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "log_groups_project_name_uq" ON "log_groups" USING btree ("project_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "log_streams_group_name_uq" ON "log_streams" USING btree ("group_id","name");--> statement-breakpoint
CREATE INDEX "log_streams_group_idx" ON "log_streams" USING btree ("group_id");--> statement-breakpoint
ALTER TABLE "load_balancers" ADD CONSTRAINT "load_balancers_access_log_stream_id_log_streams_id_fk" FOREIGN KEY ("access_log_stream_id") REFERENCES "public"."log_streams"("id") ON DELETE no action ON UPDATE no action;