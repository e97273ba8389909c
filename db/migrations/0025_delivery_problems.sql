-- makeline:no-transaction
-- A replacement and the order it replaces (SPEC: When a delivery goes wrong). Nullable columns
-- without a default: no rewrite of orders. The indexes are built without blocking writes to
-- orders (a large table): outside a transaction, CONCURRENTLY. Safe to run again after a failure
-- part-way: a failed concurrent build leaves an invalid index, dropped first.
ALTER TABLE "orders" ADD COLUMN IF NOT EXISTS "replaces_order_id" integer;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN IF NOT EXISTS "replacement_order_id" integer;--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "orders_open_replacements_idx";--> statement-breakpoint
CREATE INDEX CONCURRENTLY "orders_open_replacements_idx" ON "orders" USING btree ("stage","stage_due_at","id") WHERE "orders"."replaces_order_id" is not null and "orders"."state" in ('active', 'onHold');--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "orders_replaces_order_id_key";--> statement-breakpoint
CREATE UNIQUE INDEX CONCURRENTLY "orders_replaces_order_id_key" ON "orders" USING btree ("replaces_order_id") WHERE "orders"."replaces_order_id" is not null;
