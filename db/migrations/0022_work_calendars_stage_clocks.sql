CREATE TABLE "work_calendars" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "work_calendars_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"store_id" integer,
	"week" jsonb NOT NULL,
	"holidays" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "work_calendars_store_key" UNIQUE NULLS NOT DISTINCT("store_id")
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "stage_risk_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stage_entries" ADD COLUMN "due_revision" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "work_calendars" ADD CONSTRAINT "work_calendars_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;