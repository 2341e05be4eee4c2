DROP INDEX "visitor_recent_views_latest_idx";--> statement-breakpoint
-- Written by hand: a view seen again rewrites its row's time on every ingest flush; with no index on that time
-- and room on each page (as 0008 leaves for the other tables ingest updates), the update stays on its page (HOT).
ALTER TABLE "visitor_recent_views" SET (fillfactor = 70);
