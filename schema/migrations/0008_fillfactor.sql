-- Written by hand: tables that ingest updates on every flush keep room on each page, so an update can stay on
-- its page without touching the indexes (a HOT update). Only pages written from now on get the room.
ALTER TABLE "visitor_profiles" SET (fillfactor = 70);--> statement-breakpoint
ALTER TABLE "rollups_daily" SET (fillfactor = 70);--> statement-breakpoint
ALTER TABLE "rollups_hourly" SET (fillfactor = 70);--> statement-breakpoint
ALTER TABLE "rollups_by_dimension" SET (fillfactor = 70);--> statement-breakpoint
ALTER TABLE "reach_daily" SET (fillfactor = 70);--> statement-breakpoint
ALTER TABLE "campaign_visitors" SET (fillfactor = 70);--> statement-breakpoint
ALTER TABLE "frequency_histogram" SET (fillfactor = 70);
