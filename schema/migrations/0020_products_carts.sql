CREATE TABLE "carts" (
	"site_id" uuid NOT NULL,
	"anonymous_id" text NOT NULL,
	"lines" jsonb NOT NULL,
	"currency" text,
	"session_id" text,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "carts_site_id_anonymous_id_pk" PRIMARY KEY("site_id","anonymous_id")
);
--> statement-breakpoint
CREATE TABLE "product_purchases_hourly" (
	"site_id" uuid NOT NULL,
	"product_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"purchases" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "product_purchases_hourly_site_id_product_id_hour_pk" PRIMARY KEY("site_id","product_id","hour")
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"product_id" text NOT NULL,
	"title" text NOT NULL,
	"url" text NOT NULL,
	"image_url" text,
	"price" double precision,
	"currency" text,
	"availability" text,
	"category" text,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "carts" ADD CONSTRAINT "carts_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_purchases_hourly" ADD CONSTRAINT "product_purchases_hourly_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "carts_site_changed_idx" ON "carts" USING btree ("site_id","changed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "products_site_product_key" ON "products" USING btree ("site_id","product_id");--> statement-breakpoint
CREATE INDEX "products_site_created_idx" ON "products" USING btree ("site_id","created_at","id");