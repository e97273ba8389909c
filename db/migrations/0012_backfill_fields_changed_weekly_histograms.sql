-- fields_changed_at: the last change to a field of the order's current stage since it entered it,
-- from the history (what the "awaiting inspection" queue computed on every request before).
UPDATE "orders" o SET "fields_changed_at" = h."at"
FROM (
	SELECT h."order_id", max(h."at") AS "at"
	FROM "order_history" h JOIN "orders" x ON x."id" = h."order_id"
	WHERE h."kind" = 'fieldChanged' AND h."stage" = x."stage" AND h."at" >= x."stage_entered_at"
	GROUP BY h."order_id"
) h
WHERE o."id" = h."order_id";--> statement-breakpoint
-- The weekly histograms are the daily ones summed per week (Monday, UTC).
INSERT INTO "kpi_durations_weekly" ("week", "store_id", "metric", "bucket", "n", "lo", "hi")
SELECT date_trunc('week', "day"::timestamp)::date, "store_id", "metric", "bucket", sum("n")::int, min("lo"), max("hi")
FROM "kpi_durations"
GROUP BY 1, 2, 3, 4;
