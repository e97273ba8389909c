ALTER TABLE "notifications" ALTER COLUMN "order_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "about_account_id" integer;--> statement-breakpoint
-- NOT VALID: every existing row holds null, and validating would read all of notifications while
-- writes to it wait. New rows are checked all the same.
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_about_account_id_accounts_id_fk" FOREIGN KEY ("about_account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action NOT VALID;