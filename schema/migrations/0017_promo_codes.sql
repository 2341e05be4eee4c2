CREATE TABLE "promo_code_customers" (
	"site_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"customer_key" text NOT NULL,
	"uses" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "promo_code_customers_batch_id_customer_key_pk" PRIMARY KEY("batch_id","customer_key")
);
--> statement-breakpoint
CREATE TABLE "promo_code_redemptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"variant_id" uuid,
	"code_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"order_id" text NOT NULL,
	"order_value" double precision NOT NULL,
	"currency" text NOT NULL,
	"discount" double precision NOT NULL,
	"customer_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "promo_code_reveals" (
	"site_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"variant_id" uuid,
	"anonymous_id" text NOT NULL,
	"code_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "promo_code_reveals_campaign_id_anonymous_id_pk" PRIMARY KEY("campaign_id","anonymous_id")
);
--> statement-breakpoint
CREATE TABLE "promo_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"variant_id" uuid,
	"batch_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"expires_at" timestamp with time zone,
	"min_order_value" double precision,
	"max_uses" integer,
	"max_uses_per_customer" integer,
	"uses" integer DEFAULT 0 NOT NULL,
	"revealed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "promo_code_customers" ADD CONSTRAINT "promo_code_customers_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promo_code_redemptions" ADD CONSTRAINT "promo_code_redemptions_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promo_code_redemptions" ADD CONSTRAINT "promo_code_redemptions_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promo_code_redemptions" ADD CONSTRAINT "promo_code_redemptions_code_id_promo_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."promo_codes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promo_code_reveals" ADD CONSTRAINT "promo_code_reveals_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promo_code_reveals" ADD CONSTRAINT "promo_code_reveals_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promo_code_reveals" ADD CONSTRAINT "promo_code_reveals_code_id_promo_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."promo_codes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promo_codes" ADD CONSTRAINT "promo_codes_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promo_codes" ADD CONSTRAINT "promo_codes_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "promo_code_redemptions_live_order_idx" ON "promo_code_redemptions" USING btree ("site_id","order_id") WHERE released_at is null;--> statement-breakpoint
CREATE INDEX "promo_code_redemptions_campaign_idx" ON "promo_code_redemptions" USING btree ("campaign_id","created_at");--> statement-breakpoint
CREATE INDEX "promo_code_redemptions_code_idx" ON "promo_code_redemptions" USING btree ("code_id");--> statement-breakpoint
CREATE INDEX "promo_code_reveals_site_visitor_idx" ON "promo_code_reveals" USING btree ("site_id","anonymous_id");--> statement-breakpoint
CREATE INDEX "promo_code_reveals_site_created_idx" ON "promo_code_reveals" USING btree ("site_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "promo_codes_site_code_idx" ON "promo_codes" USING btree ("site_id","code");--> statement-breakpoint
CREATE INDEX "promo_codes_campaign_idx" ON "promo_codes" USING btree ("campaign_id","created_at","id");--> statement-breakpoint
CREATE INDEX "promo_codes_free_idx" ON "promo_codes" USING btree ("campaign_id","created_at","id") WHERE kind = 'unique' and revealed_at is null;