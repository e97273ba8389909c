-- A rule's single recipient role becomes the first of its recipients.
UPDATE "automation_rules" SET "recipients" = jsonb_build_array(jsonb_build_object('kind', 'role', 'role', "recipient_role")) WHERE "recipients" = '[]'::jsonb;
