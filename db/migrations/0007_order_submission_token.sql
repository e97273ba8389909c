ALTER TABLE "orders" ADD COLUMN "submission_token" uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "orders_submission_token_key" ON "orders" USING btree ("submission_token");