CREATE TABLE "engagement_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"variant_id" uuid,
	"anonymous_id" text,
	"name" text,
	"text" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"moderated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "engagement_reactions" (
	"site_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"variant_id" uuid,
	"anonymous_id" text NOT NULL,
	"kind" text NOT NULL,
	"reaction" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "engagement_reactions_campaign_id_anonymous_id_kind_pk" PRIMARY KEY("campaign_id","anonymous_id","kind")
);
--> statement-breakpoint
CREATE TABLE "engagement_shares" (
	"id" uuid PRIMARY KEY NOT NULL,
	"site_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"variant_id" uuid,
	"anonymous_id" text NOT NULL,
	"network" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "engagement_votes" (
	"site_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"variant_id" uuid,
	"anonymous_id" text NOT NULL,
	"options" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "engagement_votes_campaign_id_anonymous_id_pk" PRIMARY KEY("campaign_id","anonymous_id")
);
--> statement-breakpoint
ALTER TABLE "engagement_comments" ADD CONSTRAINT "engagement_comments_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_comments" ADD CONSTRAINT "engagement_comments_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_reactions" ADD CONSTRAINT "engagement_reactions_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_reactions" ADD CONSTRAINT "engagement_reactions_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_shares" ADD CONSTRAINT "engagement_shares_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_shares" ADD CONSTRAINT "engagement_shares_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_votes" ADD CONSTRAINT "engagement_votes_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_votes" ADD CONSTRAINT "engagement_votes_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "engagement_comments_campaign_status_idx" ON "engagement_comments" USING btree ("campaign_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "engagement_comments_site_status_idx" ON "engagement_comments" USING btree ("site_id","status","created_at","id");--> statement-breakpoint
CREATE INDEX "engagement_comments_site_visitor_idx" ON "engagement_comments" USING btree ("site_id","anonymous_id");--> statement-breakpoint
CREATE INDEX "engagement_reactions_site_visitor_idx" ON "engagement_reactions" USING btree ("site_id","anonymous_id");--> statement-breakpoint
CREATE INDEX "engagement_reactions_site_created_idx" ON "engagement_reactions" USING btree ("site_id","created_at");--> statement-breakpoint
CREATE INDEX "engagement_shares_campaign_idx" ON "engagement_shares" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "engagement_shares_site_visitor_idx" ON "engagement_shares" USING btree ("site_id","anonymous_id");--> statement-breakpoint
CREATE INDEX "engagement_shares_site_created_idx" ON "engagement_shares" USING btree ("site_id","created_at");--> statement-breakpoint
CREATE INDEX "engagement_votes_site_visitor_idx" ON "engagement_votes" USING btree ("site_id","anonymous_id");--> statement-breakpoint
CREATE INDEX "engagement_votes_site_created_idx" ON "engagement_votes" USING btree ("site_id","created_at");