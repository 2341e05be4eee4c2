CREATE TABLE "rsvp_counters" (
	"campaign_id" uuid PRIMARY KEY NOT NULL,
	"confirmed" integer DEFAULT 0 NOT NULL,
	"last_position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rsvps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"email" text NOT NULL,
	"first_name" text,
	"anonymous_id" text,
	"status" text NOT NULL,
	"position" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"promoted_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "rsvp_counters" ADD CONSTRAINT "rsvp_counters_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rsvps" ADD CONSTRAINT "rsvps_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rsvps" ADD CONSTRAINT "rsvps_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "rsvps_campaign_email_idx" ON "rsvps" USING btree ("campaign_id","email");--> statement-breakpoint
CREATE UNIQUE INDEX "rsvps_campaign_position_idx" ON "rsvps" USING btree ("campaign_id","position");--> statement-breakpoint
CREATE INDEX "rsvps_campaign_status_idx" ON "rsvps" USING btree ("campaign_id","status","position");--> statement-breakpoint
CREATE INDEX "rsvps_campaign_created_idx" ON "rsvps" USING btree ("campaign_id","created_at","id");--> statement-breakpoint
CREATE INDEX "rsvps_site_visitor_idx" ON "rsvps" USING btree ("site_id","anonymous_id");