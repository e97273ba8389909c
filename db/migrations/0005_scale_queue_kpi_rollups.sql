CREATE TABLE "kpi_daily" (
	"day" date NOT NULL,
	"store_id" integer NOT NULL,
	"completed" integer DEFAULT 0 NOT NULL,
	"timed" integer DEFAULT 0 NOT NULL,
	"production_seconds" double precision DEFAULT 0 NOT NULL,
	"with_due" integer DEFAULT 0 NOT NULL,
	"on_time" integer DEFAULT 0 NOT NULL,
	"rated" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	"first_inspected" integer DEFAULT 0 NOT NULL,
	"first_passed" integer DEFAULT 0 NOT NULL,
	"failed_inspections" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "kpi_daily_day_store_id_pk" PRIMARY KEY("day","store_id")
);
--> statement-breakpoint
CREATE TABLE "kpi_durations" (
	"day" date NOT NULL,
	"store_id" integer NOT NULL,
	"metric" text NOT NULL,
	"bucket" smallint NOT NULL,
	"n" integer NOT NULL,
	"lo" double precision NOT NULL,
	"hi" double precision NOT NULL,
	CONSTRAINT "kpi_durations_day_store_id_metric_bucket_pk" PRIMARY KEY("day","store_id","metric","bucket")
);
--> statement-breakpoint
CREATE TABLE "kpi_stage_daily" (
	"day" date NOT NULL,
	"store_id" integer NOT NULL,
	"stage" text NOT NULL,
	"entries" integer DEFAULT 0 NOT NULL,
	"seconds" double precision DEFAULT 0 NOT NULL,
	"late" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "kpi_stage_daily_day_store_id_stage_pk" PRIMARY KEY("day","store_id","stage")
);
--> statement-breakpoint
ALTER TABLE "kpi_daily" ADD CONSTRAINT "kpi_daily_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_durations" ADD CONSTRAINT "kpi_durations_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_stage_daily" ADD CONSTRAINT "kpi_stage_daily_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "orders_open_due_id_idx" ON "orders" USING btree ("stage_due_at","id") WHERE "orders"."state" in ('active', 'onHold');--> statement-breakpoint
CREATE INDEX "orders_due_id_idx" ON "orders" USING btree ("stage_due_at","id");