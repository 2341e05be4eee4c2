CREATE TABLE "app_claims" (
	"site_id" uuid NOT NULL,
	"click_id" uuid NOT NULL,
	"event" text NOT NULL,
	"campaign_id" uuid NOT NULL,
	"variant_id" uuid,
	"anonymous_id" text NOT NULL,
	"platform" text NOT NULL,
	"matched_by" text NOT NULL,
	"event_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "app_claims_site_id_click_id_event_pk" PRIMARY KEY("site_id","click_id","event")
);
--> statement-breakpoint
ALTER TABLE "app_claims" ADD CONSTRAINT "app_claims_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "app_claims" ADD CONSTRAINT "app_claims_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "app_claims_campaign_idx" ON "app_claims" USING btree ("campaign_id","created_at");