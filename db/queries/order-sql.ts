import "server-only";
import { sql } from "drizzle-orm";
import { stages } from "@/lib/workflow";
import { orders } from "../schema";

/**
 * Expressions over an order's row that more than one query reads (the queue's filter, the
 * automation pass, the outbox's email), written once. Pure SQL fragments: no database access.
 */

/**
 * When the current stage turns "at risk": the stored time (lib/workflow/clock.ts, written with
 * the due time), or for a row written before calendars entered + the stage's riskAfterMs
 * (lib/workflow storedClock, in SQL).
 */
export const riskAtSql = sql`coalesce(${orders.stageRiskAt}, ${orders.stageEnteredAt} + interval '1 millisecond' * (case ${orders.stage} ${sql.join(
  stages.map((s) => sql`when ${s.key} then ${s.target.riskAfterMs}::bigint`),
  sql` `,
)} end))`;

/** The Order Quantity as stored in the order's fields, as a number (null when none). */
export const orderQuantitySql = sql<number | null>`(${orders.fields}->>'orderQuantity')::int`;
