-- The order counters start from the orders as they are: one read of orders, nothing rewritten.
INSERT INTO "order_counts" ("store_id", "stage", "state", "n")
SELECT "store_id", "stage", "state", count(*)::int FROM "orders" GROUP BY 1, 2, 3;
--> statement-breakpoint
-- Statistics for the new expression index (the specification's trigrams), so the planner knows
-- how common a searched word is; PGlite has no autovacuum to gather them later.
ANALYZE "orders";
