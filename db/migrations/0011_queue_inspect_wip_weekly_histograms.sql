CREATE TABLE "kpi_durations_weekly" (
	"week" date NOT NULL,
	"store_id" integer NOT NULL,
	"metric" text NOT NULL,
	"bucket" smallint NOT NULL,
	"n" integer NOT NULL,
	"lo" double precision NOT NULL,
	"hi" double precision NOT NULL,
	CONSTRAINT "kpi_durations_weekly_week_store_id_metric_bucket_pk" PRIMARY KEY("week","store_id","metric","bucket")
);
--> statement-breakpoint
DROP INDEX "orders_active_stage_due_idx";--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "fields_changed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "kpi_durations_weekly" ADD CONSTRAINT "kpi_durations_weekly_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orders_open_stage_due_idx" ON "orders" USING btree ("stage","stage_due_at","id","state","store_id") WHERE "orders"."state" in ('active', 'onHold');--> statement-breakpoint
CREATE INDEX "orders_active_stage_updated_idx" ON "orders" USING btree ("stage",coalesce("fields_changed_at", "stage_entered_at"),"id") WHERE "orders"."state" = 'active';