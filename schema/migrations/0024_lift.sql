CREATE TABLE "exposures" (
	"site_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"anonymous_id" text NOT NULL,
	"arm" text NOT NULL,
	"variant_id" uuid,
	"first_at" timestamp with time zone NOT NULL,
	CONSTRAINT "exposures_campaign_id_anonymous_id_pk" PRIMARY KEY("campaign_id","anonymous_id")
);
--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "global_holdout_percent" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "exposures" ADD CONSTRAINT "exposures_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "exposures_campaign_first_idx" ON "exposures" USING btree ("campaign_id","first_at");--> statement-breakpoint
CREATE INDEX "exposures_site_first_idx" ON "exposures" USING btree ("site_id","first_at");