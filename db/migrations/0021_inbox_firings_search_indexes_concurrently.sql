-- makeline:no-transaction
-- Indexes on large tables (notifications, rule_firings, orders), built without blocking writes:
-- outside a transaction, CONCURRENTLY. Safe to run again after a failure part-way: a failed
-- concurrent build leaves an invalid index, dropped and built again here.
DROP INDEX CONCURRENTLY IF EXISTS "notifications_inbox_order_idx";--> statement-breakpoint
CREATE INDEX CONCURRENTLY "notifications_inbox_order_idx" ON "notifications" USING btree ("account_id",("read_at" is null),"created_at","id");--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "notifications_inbox_idx";--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "notifications_unread_idx";--> statement-breakpoint
CREATE INDEX CONCURRENTLY "notifications_unread_idx" ON "notifications" USING btree ("account_id","order_id") WHERE "notifications"."read_at" is null;--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "rule_firings_fired_id_idx";--> statement-breakpoint
CREATE INDEX CONCURRENTLY "rule_firings_fired_id_idx" ON "rule_firings" USING btree ("fired_at","id");--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "rule_firings_fired_idx";--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "rule_firings_rule_fired_idx";--> statement-breakpoint
CREATE INDEX CONCURRENTLY "rule_firings_rule_fired_idx" ON "rule_firings" USING btree ("rule_id","fired_at","id");--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "orders_specifications_trgm_idx";--> statement-breakpoint
CREATE INDEX CONCURRENTLY "orders_specifications_trgm_idx" ON "orders" USING gin (("fields" ->> 'productSpecifications') gin_trgm_ops);--> statement-breakpoint
-- Statistics for the new expression index (the specification's trigrams), so the planner knows
-- how common a searched word is; PGlite has no autovacuum to gather them later.
ANALYZE "orders";
