CREATE TABLE "campaign_visitors" (
	"site_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"anonymous_id" text NOT NULL,
	"impressions" integer NOT NULL,
	CONSTRAINT "campaign_visitors_campaign_id_anonymous_id_pk" PRIMARY KEY("campaign_id","anonymous_id")
);
--> statement-breakpoint
CREATE TABLE "frequency_histogram" (
	"site_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"impressions" integer NOT NULL,
	"visitors" integer NOT NULL,
	CONSTRAINT "frequency_histogram_campaign_id_impressions_pk" PRIMARY KEY("campaign_id","impressions")
);
--> statement-breakpoint
CREATE TABLE "reach_daily" (
	"site_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"variant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"sketch" "bytea" NOT NULL,
	CONSTRAINT "reach_daily_site_id_campaign_id_variant_id_day_pk" PRIMARY KEY("site_id","campaign_id","variant_id","day")
);
--> statement-breakpoint
CREATE TABLE "rollups_by_dimension" (
	"site_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"day" date NOT NULL,
	"dimension" text NOT NULL,
	"key" text NOT NULL,
	"metric" text NOT NULL,
	"n" double precision NOT NULL,
	"value" double precision NOT NULL,
	CONSTRAINT "rollups_by_dimension_site_id_campaign_id_dimension_day_key_metric_pk" PRIMARY KEY("site_id","campaign_id","dimension","day","key","metric")
);
--> statement-breakpoint
CREATE TABLE "rollups_daily" (
	"site_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"variant_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"n" double precision NOT NULL,
	"value" double precision NOT NULL,
	"day" date NOT NULL,
	CONSTRAINT "rollups_daily_site_id_campaign_id_variant_id_day_metric_pk" PRIMARY KEY("site_id","campaign_id","variant_id","day","metric")
);
--> statement-breakpoint
CREATE TABLE "rollups_hourly" (
	"site_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"variant_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"n" double precision NOT NULL,
	"value" double precision NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	CONSTRAINT "rollups_hourly_site_id_campaign_id_variant_id_hour_metric_pk" PRIMARY KEY("site_id","campaign_id","variant_id","hour","metric")
);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "cost" jsonb;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "device" text;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "country" text;--> statement-breakpoint
ALTER TABLE "campaign_visitors" ADD CONSTRAINT "campaign_visitors_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "frequency_histogram" ADD CONSTRAINT "frequency_histogram_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reach_daily" ADD CONSTRAINT "reach_daily_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollups_by_dimension" ADD CONSTRAINT "rollups_by_dimension_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollups_daily" ADD CONSTRAINT "rollups_daily_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollups_hourly" ADD CONSTRAINT "rollups_hourly_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;