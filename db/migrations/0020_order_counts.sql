CREATE TABLE "order_counts" (
	"store_id" integer NOT NULL,
	"stage" text NOT NULL,
	"state" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "order_counts_store_id_stage_state_pk" PRIMARY KEY("store_id","stage","state")
);
--> statement-breakpoint
ALTER TABLE "order_counts" ADD CONSTRAINT "order_counts_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- The order counters start from the orders as they are: one read of orders, nothing rewritten.
INSERT INTO "order_counts" ("store_id", "stage", "state", "n")
SELECT "store_id", "stage", "state", count(*)::int FROM "orders" GROUP BY 1, 2, 3;
