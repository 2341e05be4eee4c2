CREATE TABLE "content_sightings" (
	"site_id" uuid NOT NULL,
	"url" text NOT NULL,
	"anonymous_id" text NOT NULL,
	"day" date NOT NULL,
	CONSTRAINT "content_sightings_site_id_url_anonymous_id_day_pk" PRIMARY KEY("site_id","url","anonymous_id","day")
);
--> statement-breakpoint
ALTER TABLE "content_items" ADD COLUMN "review" text DEFAULT 'approved' NOT NULL;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "content_image_hosts" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "learned_content" text DEFAULT 'corroborated' NOT NULL;--> statement-breakpoint
ALTER TABLE "content_sightings" ADD CONSTRAINT "content_sightings_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Pages learned before corroboration existed were taken on one event's word: they wait for it like new ones.
UPDATE "content_items" SET "review" = 'pending' WHERE "source" = 'page';
