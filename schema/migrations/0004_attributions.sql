CREATE TABLE "attributions" (
	"conversion_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"model" text NOT NULL,
	"campaign_id" uuid NOT NULL,
	"variant_id" uuid,
	"touch_id" uuid NOT NULL,
	"weight" double precision NOT NULL,
	"value" double precision NOT NULL,
	"conversion_at" timestamp with time zone NOT NULL,
	CONSTRAINT "attributions_conversion_id_model_touch_id_pk" PRIMARY KEY("conversion_id","model","touch_id")
);
--> statement-breakpoint
ALTER TABLE "attributions" ADD CONSTRAINT "attributions_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attributions_campaign_model_at_idx" ON "attributions" USING btree ("campaign_id","model","conversion_at");