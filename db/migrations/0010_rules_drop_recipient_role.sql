ALTER TABLE "automation_rules" ALTER COLUMN "recipients" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "automation_rules" DROP COLUMN "recipient_role";