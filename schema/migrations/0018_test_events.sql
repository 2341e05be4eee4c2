CREATE TABLE "test_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"event_id" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"action_source" text NOT NULL,
	"value" double precision,
	"currency" text,
	"match_keys" text[] NOT NULL,
	"items" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "test_events" ADD CONSTRAINT "test_events_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "test_events_site_received_idx" ON "test_events" USING btree ("site_id","received_at");--> statement-breakpoint
CREATE INDEX "test_events_site_code_received_idx" ON "test_events" USING btree ("site_id","code","received_at");