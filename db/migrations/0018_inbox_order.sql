DROP INDEX "notifications_inbox_idx";--> statement-breakpoint
CREATE INDEX "notifications_inbox_order_idx" ON "notifications" USING btree ("account_id",("read_at" is null),"created_at","id");