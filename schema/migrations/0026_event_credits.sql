CREATE TABLE "event_credits" (
	"event_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"campaign_id" uuid NOT NULL,
	"variant_id" uuid NOT NULL,
	"n" double precision NOT NULL,
	"value" double precision NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"device" text,
	"country" text,
	CONSTRAINT "event_credits_event_id_metric_campaign_id_pk" PRIMARY KEY("event_id","metric","campaign_id")
);
--> statement-breakpoint
ALTER TABLE "event_credits" ADD CONSTRAINT "event_credits_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "event_credits_site_at_idx" ON "event_credits" USING btree ("site_id","at");