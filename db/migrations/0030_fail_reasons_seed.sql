-- The fail reasons every shop starts with (SPEC.md, KPI page: quality by reason); administrators
-- add, rename and archive them at /admin/fail-reasons. "Other" asks for a note.
INSERT INTO "fail_reasons" ("label", "needs_note", "position") VALUES
  ('Dimensions', false, 1),
  ('Finish', false, 2),
  ('Material', false, 3),
  ('Wrong specification', false, 4),
  ('Damage in handling', false, 5),
  ('Other', true, 6);
--> statement-breakpoint
-- The new KPI rollup columns of days already counted (decision 029): one grouped read of the
-- completed orders, nothing rewritten but the small kpi_daily. No inspection named a reason before.
UPDATE "kpi_daily" k SET "first_pass" = s.first_pass, "reworks_of_received" = s.reworks, "received_bad" = s.bad
FROM (
  SELECT (o.received_at AT TIME ZONE 'UTC')::date AS day, o.store_id,
    (count(*) FILTER (WHERE f.n = 0))::int AS first_pass,
    coalesce(sum(f.n), 0)::int AS reworks,
    (count(*) FILTER (WHERE (o.fields ->> 'productCondition') IN ('damaged', 'wrongSpecification')))::int AS bad
  FROM "orders" o CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM "inspections" i WHERE i.order_id = o.id AND i.result = 'fail') f
  WHERE o.state = 'completed' AND o.received_at IS NOT NULL
  GROUP BY 1, 2
) s
WHERE k.day = s.day AND k.store_id = s.store_id;
