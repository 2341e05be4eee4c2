CREATE TABLE "audience_memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"audience_key" text NOT NULL,
	"anonymous_id" text NOT NULL,
	"entered_at" timestamp with time zone NOT NULL,
	"exited_at" timestamp with time zone,
	"notified" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audience_runs" (
	"site_id" uuid NOT NULL,
	"audience_key" text NOT NULL,
	"definition" text NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "audience_runs_site_id_audience_key_pk" PRIMARY KEY("site_id","audience_key")
);
--> statement-breakpoint
ALTER TABLE "audience_memberships" ADD CONSTRAINT "audience_memberships_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audience_runs" ADD CONSTRAINT "audience_runs_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "audience_memberships_open_key" ON "audience_memberships" USING btree ("site_id","audience_key","anonymous_id") WHERE exited_at is null;--> statement-breakpoint
CREATE INDEX "audience_memberships_site_key_idx" ON "audience_memberships" USING btree ("site_id","audience_key","entered_at");--> statement-breakpoint
CREATE INDEX "audience_memberships_visitor_idx" ON "audience_memberships" USING btree ("site_id","anonymous_id");--> statement-breakpoint
CREATE INDEX "audience_memberships_unnotified_idx" ON "audience_memberships" USING btree ("site_id","audience_key") WHERE notified < 2 and (notified = 0 or exited_at is not null);