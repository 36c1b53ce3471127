ALTER TABLE "listeners" ADD COLUMN "transfer_client_ip" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "listeners" ADD COLUMN "proxy_protocol_accept" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "listeners" ADD COLUMN "trusted_ips" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "listeners" ADD COLUMN "x_forwarded_for_mode" text DEFAULT 'APPEND' NOT NULL;--> statement-breakpoint
ALTER TABLE "listeners" ADD COLUMN "x_forwarded_for_trusted_only" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "listeners" ADD COLUMN "x_forwarded_proto" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "listeners" ADD COLUMN "x_forwarded_port" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "listeners" ADD COLUMN "x_forwarded_host" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "listeners" ADD COLUMN "x_real_ip" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "listeners" ADD COLUMN "real_ip_header" text DEFAULT 'NONE' NOT NULL;--> statement-breakpoint
ALTER TABLE "listeners" ADD COLUMN "real_ip_recursive" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "pools" ADD COLUMN "client_ip_transport" text DEFAULT 'TRANSPARENT' NOT NULL;