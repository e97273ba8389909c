CREATE TABLE "order_counts" (
	"store_id" integer NOT NULL,
	"stage" text NOT NULL,
	"state" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "order_counts_store_id_stage_state_pk" PRIMARY KEY("store_id","stage","state")
);
--> statement-breakpoint
ALTER TABLE "order_counts" ADD CONSTRAINT "order_counts_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_unread_idx" ON "notifications" USING btree ("account_id","order_id") WHERE "notifications"."read_at" is null;--> statement-breakpoint
CREATE INDEX "orders_specifications_trgm_idx" ON "orders" USING gin (("fields" ->> 'productSpecifications') gin_trgm_ops);