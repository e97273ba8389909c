-- makeline:no-transaction
-- Built without blocking writes to notifications (a large table): outside a transaction, CONCURRENTLY.
-- Safe to run again after a failure part-way: a failed concurrent build leaves an invalid index.
DROP INDEX CONCURRENTLY IF EXISTS "notifications_read_idx";--> statement-breakpoint
CREATE INDEX CONCURRENTLY "notifications_read_idx" ON "notifications" USING btree ("read_at") WHERE "notifications"."read_at" is not null;
