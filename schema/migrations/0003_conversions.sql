ALTER TABLE "events" ADD COLUMN "source" text DEFAULT 'browser' NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "event_id" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "action_source" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "user_data" jsonb;--> statement-breakpoint
-- Written by hand (drizzle-kit has no exclusion constraints). A conversion sent from the page and from the
-- site's server with the same event id and name within 48 hours counts once: no two events of a site with the
-- same name and dedupe id (Meta's event_id, else the event's own id) whose ±24 hour windows meet. As a
-- constraint, it holds under concurrent writes, and `insert … on conflict do nothing` skips the later event
-- whichever endpoint sends it. Only GiST can compare time ranges; a range of one text value stands in for
-- equality on the key, so no extension (btree_gist) is needed on PGlite or PostgreSQL.
CREATE TYPE "text_range" AS RANGE (subtype = text, collation = "C");--> statement-breakpoint
-- Site ids have a fixed length and event names cannot contain '|', so the joined key is unambiguous.
CREATE FUNCTION "event_dedupe_key"(site uuid, name text, id text) RETURNS "text_range"
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN "text_range"(site::text || '|' || name || '|' || id, site::text || '|' || name || '|' || id, '[]');--> statement-breakpoint
-- Adding hours to a timestamptz does not depend on the time zone (days and months would), so it is immutable.
CREATE FUNCTION "event_dedupe_window"(ts timestamptz) RETURNS tstzrange
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN tstzrange(ts - interval '24 hours', ts + interval '24 hours', '[]');--> statement-breakpoint
-- Only page-level events take part: those of a unit (impressions, in-view time, a format's own events) carry a
-- campaign id and an id the SDK made up, and the SDK's own names are refused from a server. So the index,
-- whose upkeep costs far more than a b-tree's, leaves out the bulk of the table.
ALTER TABLE "events" ADD CONSTRAINT "events_dedupe_48h" EXCLUDE USING gist (
  "event_dedupe_key"("site_id", "name", coalesce("event_id", "id"::text)) WITH =,
  "event_dedupe_window"("ts") WITH &&
) WHERE ("campaign_id" IS NULL AND "name" NOT IN ('impression', 'viewable', 'click', 'close', 'page', 'identify'));
