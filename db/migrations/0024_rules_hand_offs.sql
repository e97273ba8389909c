-- The hand-offs announced (SPEC.md, "Automation rules"), as lib/automation/defaults.ts seeds them, for a database
-- seeded before them (a fresh one gets them from the seed, in their order). tests/rule-values.test.ts holds the two equal.
INSERT INTO "automation_rules" ("key", "name", "trigger", "recipients", "message", "priority")
SELECT v.* FROM (VALUES
  ('inspection-failed-to-production', 'Inspection failed', '{"type":"inspection_recorded","result":"fail"}'::jsonb, '[{"kind":"stageOwner"},{"kind":"assignee"}]'::jsonb, 'Inspection failed - rework needed', 'high'),
  ('ready-for-reinspection-to-qc', 'Ready for re-inspection', '{"type":"order_event","event":"readyForReinspection"}'::jsonb, '[{"kind":"role","role":"qualityControl"}]'::jsonb, 'Rework done - ready for re-inspection', 'normal'),
  ('proposal-to-store', 'Dispatch proposes an alternative', '{"type":"order_event","event":"proposalSent"}'::jsonb, '[{"kind":"storeManagers"}]'::jsonb, 'Dispatch proposes an alternative - accept it, revise or cancel the order', 'high'),
  ('proposal-accepted-to-dispatch', 'Proposal accepted', '{"type":"order_event","event":"proposalAccepted"}'::jsonb, '[{"kind":"role","role":"dispatchTeam"}]'::jsonb, 'The store accepted your proposal - the order is back for feasibility', 'normal'),
  ('proposal-declined-to-dispatch', 'Proposal declined', '{"type":"order_event","event":"proposalDeclined"}'::jsonb, '[{"kind":"role","role":"dispatchTeam"}]'::jsonb, 'The store declined your proposal', 'normal'),
  ('cancelled-to-dispatch', 'Order cancelled', '{"type":"order_event","event":"cancelled"}'::jsonb, '[{"kind":"role","role":"dispatchTeam"}]'::jsonb, 'Order cancelled', 'normal'),
  ('assigned-to-assignee', 'Assigned to you', '{"type":"order_event","event":"assigned"}'::jsonb, '[{"kind":"assignee"}]'::jsonb, 'You were assigned this order', 'normal')
) AS v("key", "name", "trigger", "recipients", "message", "priority")
WHERE EXISTS (SELECT 1 FROM "automation_rules" WHERE "key" = 'feasibility-alert')
ON CONFLICT ("key") DO NOTHING;
--> statement-breakpoint
-- The card's escalation, left as seeded, now watches the stages Production works in.
UPDATE "automation_rules" SET "trigger" = '{"type":"stage_overdue","stages":["dispatchReceiving","inProduction"]}'::jsonb WHERE "key" = 'stage-overdue-escalation' AND "trigger" = '{"type":"stage_overdue"}'::jsonb;
--> statement-breakpoint
-- "Field equals" values as the rule form now stores them: a choice's key (a label or another case was stored as typed), text trimmed.
UPDATE "automation_rules" SET "trigger" = jsonb_set("trigger", '{value}', to_jsonb(CASE "trigger"->>'field'
  WHEN 'orderFeasibility' THEN CASE WHEN lower(btrim("trigger"->>'value')) IN ('feasible') THEN 'feasible' WHEN lower(btrim("trigger"->>'value')) IN ('notfeasible', 'not feasible') THEN 'notFeasible' ELSE "trigger"->>'value' END
  WHEN 'productionStatus' THEN CASE WHEN lower(btrim("trigger"->>'value')) IN ('notstarted', 'not started') THEN 'notStarted' WHEN lower(btrim("trigger"->>'value')) IN ('inprogress', 'in progress') THEN 'inProgress' WHEN lower(btrim("trigger"->>'value')) IN ('onhold', 'on hold') THEN 'onHold' WHEN lower(btrim("trigger"->>'value')) IN ('completed') THEN 'completed' ELSE "trigger"->>'value' END
  WHEN 'qualityCheckResults' THEN CASE WHEN lower(btrim("trigger"->>'value')) IN ('pass') THEN 'pass' WHEN lower(btrim("trigger"->>'value')) IN ('fail') THEN 'fail' ELSE "trigger"->>'value' END
  WHEN 'shipmentMethod' THEN CASE WHEN lower(btrim("trigger"->>'value')) IN ('courier') THEN 'courier' WHEN lower(btrim("trigger"->>'value')) IN ('freight') THEN 'freight' WHEN lower(btrim("trigger"->>'value')) IN ('ownfleet', 'own fleet') THEN 'ownFleet' WHEN lower(btrim("trigger"->>'value')) IN ('storepickup', 'store pickup') THEN 'storePickup' ELSE "trigger"->>'value' END
  WHEN 'productCondition' THEN CASE WHEN lower(btrim("trigger"->>'value')) IN ('good') THEN 'good' WHEN lower(btrim("trigger"->>'value')) IN ('minordamage', 'minor damage') THEN 'minorDamage' WHEN lower(btrim("trigger"->>'value')) IN ('damaged') THEN 'damaged' WHEN lower(btrim("trigger"->>'value')) IN ('wrongspecification', 'wrong specification') THEN 'wrongSpecification' ELSE "trigger"->>'value' END
  ELSE btrim("trigger"->>'value') END))
WHERE "trigger"->>'type' = 'field_equals';
