-- A receipt gone wrong (SPEC.md, "When a delivery goes wrong") tells dispatch and quality control, as
-- lib/automation/defaults.ts seeds it, for a database seeded before (a fresh one gets them from the
-- seed). tests/automation-rule-values.test.ts holds the two equal.
INSERT INTO "automation_rules" ("key", "name", "trigger", "recipients", "message", "priority")
SELECT v.* FROM (VALUES
  ('receipt-damaged-to-dispatch-and-qc', 'Received damaged', '{"type":"field_equals","stage":"storeReceived","field":"productCondition","value":"damaged"}'::jsonb, '[{"kind":"role","role":"dispatchTeam"},{"kind":"role","role":"qualityControl"}]'::jsonb, '{store} received the order damaged: {conditionNote}', 'high'),
  ('receipt-wrongSpecification-to-dispatch-and-qc', 'Received with the wrong specification', '{"type":"field_equals","stage":"storeReceived","field":"productCondition","value":"wrongSpecification"}'::jsonb, '[{"kind":"role","role":"dispatchTeam"},{"kind":"role","role":"qualityControl"}]'::jsonb, '{store} received the order with the wrong specification: {conditionNote}', 'high')
) AS v("key", "name", "trigger", "recipients", "message", "priority")
WHERE EXISTS (SELECT 1 FROM "automation_rules" WHERE "key" = 'feasibility-alert')
ON CONFLICT ("key") DO NOTHING;
