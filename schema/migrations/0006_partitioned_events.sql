-- Written by hand: drizzle-kit cannot express partitioning or exclusion constraints. Events move into a table
-- partitioned by range of `ts`, which can only enforce keys that include `ts`: the event id's uniqueness moves
-- to `event_ids`, so ingest stays idempotent by id alone. This migration creates the table with only its
-- DEFAULT partition and moves the rows there; monthly partitions are then created, and rows moved out of the default into them, by
-- `ensureEventPartitions` (api/ingest/partitions.ts), which runs after migrations and every day.
ALTER TABLE "events" RENAME TO "events_before_partitioning";--> statement-breakpoint
ALTER TABLE "events_before_partitioning" DROP CONSTRAINT "events_dedupe_48h";--> statement-breakpoint
ALTER TABLE "events_before_partitioning" DROP CONSTRAINT "events_pkey";--> statement-breakpoint
DROP INDEX "events_campaign_name_ts_idx";--> statement-breakpoint
DROP INDEX "events_site_ts_idx";--> statement-breakpoint
DROP INDEX "events_visitor_name_ts_idx";--> statement-breakpoint
CREATE TABLE "events" (
	"id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"name" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"anonymous_id" text NOT NULL,
	"session_id" text,
	"user_id" text,
	"campaign_id" uuid,
	"variant_id" uuid,
	"slot" text,
	"url" text,
	"referrer" text,
	"props" jsonb,
	"value" double precision,
	"currency" text,
	"source" text DEFAULT 'browser' NOT NULL,
	"event_id" text,
	"action_source" text,
	"user_data" jsonb,
	"device" text,
	"country" text
) PARTITION BY RANGE ("ts");--> statement-breakpoint
CREATE TABLE "events_default" PARTITION OF "events" DEFAULT;--> statement-breakpoint
CREATE TABLE "event_ids" ("id" uuid PRIMARY KEY NOT NULL);--> statement-breakpoint
INSERT INTO "event_ids" SELECT "id" FROM "events_before_partitioning";--> statement-breakpoint
CREATE INDEX "events_campaign_name_ts_idx" ON "events" USING btree ("campaign_id","name","ts");--> statement-breakpoint
CREATE INDEX "events_site_ts_idx" ON "events" USING btree ("site_id","ts");--> statement-breakpoint
CREATE INDEX "events_visitor_name_ts_idx" ON "events" USING btree ("site_id","anonymous_id","name","ts");--> statement-breakpoint
INSERT INTO "events" SELECT "id", "site_id", "name", "ts", "received_at", "anonymous_id", "session_id", "user_id",
	"campaign_id", "variant_id", "slot", "url", "referrer", "props", "value", "currency", "source", "event_id",
	"action_source", "user_data", "device", "country" FROM "events_before_partitioning";--> statement-breakpoint
-- The rule that a page event and a server event with the same id and name within 48 hours count once moves
-- to a table of its own (a partitioned table cannot hold an exclusion constraint that spans partitions).
CREATE TABLE "event_dedupe" (
	"site_id" uuid NOT NULL,
	"name" text NOT NULL,
	"key" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"event_id" uuid NOT NULL
);--> statement-breakpoint
CREATE INDEX "event_dedupe_ts_idx" ON "event_dedupe" USING btree ("ts");--> statement-breakpoint
ALTER TABLE "event_dedupe" ADD CONSTRAINT "event_dedupe_48h" EXCLUDE USING gist (
	"event_dedupe_key"("site_id", "name", "key") WITH =,
	"event_dedupe_window"("ts") WITH &&
);--> statement-breakpoint
INSERT INTO "event_dedupe" ("site_id", "name", "key", "ts", "event_id")
	SELECT "site_id", "name", coalesce("event_id", "id"::text), "ts", "id" FROM "events_before_partitioning"
	WHERE "campaign_id" IS NULL AND "name" NOT IN ('impression', 'viewable', 'click', 'close', 'page', 'identify');--> statement-breakpoint
DROP TABLE "events_before_partitioning";
