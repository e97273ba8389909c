DROP INDEX "rule_firings_fired_idx";--> statement-breakpoint
CREATE INDEX "rule_firings_fired_id_idx" ON "rule_firings" USING btree ("fired_at","id");--> statement-breakpoint
CREATE INDEX "rule_firings_rule_fired_idx" ON "rule_firings" USING btree ("rule_id","fired_at","id");