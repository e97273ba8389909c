CREATE TABLE "fail_reasons" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "fail_reasons_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"label" text NOT NULL,
	"needs_note" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inspection_fail_reasons" (
	"inspection_id" integer NOT NULL,
	"reason_id" integer NOT NULL,
	"order_id" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"note" text,
	CONSTRAINT "inspection_fail_reasons_inspection_id_reason_id_pk" PRIMARY KEY("inspection_id","reason_id")
);
--> statement-breakpoint
CREATE TABLE "kpi_fail_reasons_daily" (
	"day" date NOT NULL,
	"store_id" integer NOT NULL,
	"reason_id" integer NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "kpi_fail_reasons_daily_day_store_id_reason_id_pk" PRIMARY KEY("day","store_id","reason_id")
);
--> statement-breakpoint
ALTER TABLE "kpi_daily" ADD COLUMN "first_pass" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "kpi_daily" ADD COLUMN "reworks_of_received" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "kpi_daily" ADD COLUMN "received_bad" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "inspection_fail_reasons" ADD CONSTRAINT "inspection_fail_reasons_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_fail_reasons" ADD CONSTRAINT "inspection_fail_reasons_reason_id_fail_reasons_id_fk" FOREIGN KEY ("reason_id") REFERENCES "public"."fail_reasons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_fail_reasons" ADD CONSTRAINT "inspection_fail_reasons_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_fail_reasons_daily" ADD CONSTRAINT "kpi_fail_reasons_daily_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_fail_reasons_daily" ADD CONSTRAINT "kpi_fail_reasons_daily_reason_id_fail_reasons_id_fk" FOREIGN KEY ("reason_id") REFERENCES "public"."fail_reasons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "fail_reasons_label_key" ON "fail_reasons" USING btree (lower("label"));--> statement-breakpoint
CREATE INDEX "inspection_fail_reasons_reason_idx" ON "inspection_fail_reasons" USING btree ("reason_id","created_at","order_id");--> statement-breakpoint
CREATE INDEX "inspection_fail_reasons_order_idx" ON "inspection_fail_reasons" USING btree ("order_id");