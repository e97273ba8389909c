DROP INDEX "orders_store_stage_idx";--> statement-breakpoint
DROP INDEX "orders_received_idx";--> statement-breakpoint
DROP INDEX "stage_entries_stage_completed_idx";--> statement-breakpoint
CREATE INDEX "inspections_created_idx" ON "inspections" USING btree ("created_at","order_id","result");--> statement-breakpoint
CREATE INDEX "orders_store_stage_idx" ON "orders" USING btree ("store_id","state","stage","id");--> statement-breakpoint
CREATE INDEX "orders_received_idx" ON "orders" USING btree ("received_at","store_id","submitted_at","required_delivery_date","customer_rating") WHERE "orders"."state" = 'completed';--> statement-breakpoint
CREATE INDEX "stage_entries_stage_completed_idx" ON "stage_entries" USING btree ("stage","completed_at","entered_at","due_at","order_id");