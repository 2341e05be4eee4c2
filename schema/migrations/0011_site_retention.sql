ALTER TABLE "sites" ADD COLUMN "retention" jsonb;--> statement-breakpoint
CREATE INDEX "events_user_data_idx" ON "events" USING gin ("user_data" jsonb_path_ops) WHERE "events"."user_data" is not null;