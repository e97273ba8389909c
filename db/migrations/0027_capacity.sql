CREATE TABLE "capacity_load" (
	"day" date PRIMARY KEY NOT NULL,
	"units" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "capacity_rates" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "capacity_rates_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"effective_from" date NOT NULL,
	"units_per_day" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" integer,
	CONSTRAINT "capacity_rates_from_key" UNIQUE("effective_from"),
	CONSTRAINT "capacity_rates_units_check" CHECK ("capacity_rates"."units_per_day" between 0 and 10000000)
);
--> statement-breakpoint
ALTER TABLE "capacity_rates" ADD CONSTRAINT "capacity_rates_updated_by_accounts_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;