import { type SQL, sql } from "drizzle-orm";
import { inspections, orders } from "../schema";
import {
  type FieldValues,
  type InspectionResult,
  type NextStepFacts,
  type RoleKey,
  type StepKind,
  firstStage,
  nextStepFields,
  rolesAllowed,
  stageKeys,
  stages,
  stepKinds,
} from "@/lib/workflow";

/**
 * What nextStep (lib/workflow/next-step.ts) reads of an order, as columns of a list's select, and
 * the step itself in SQL for sorting "My work". The SQL restates the pure function's branches;
 * tests/next-step-sql.test.ts holds the two equal on generated orders.
 */

const inspected = stages.find((s) => s.fields.some((f) => f.recordedAs === "inspection"))!;
const marked = stages.find((s) => s.marks === "submitted")!;
const withEta = stages.find((s) => s.waiting.eta)!;
const lit = (v: string) => sql.raw(`'${v.replace(/'/g, "''")}'`);
const lastUpdate = sql`coalesce(${orders.fieldsChangedAt}, ${orders.stageEnteredAt})`;
const inInspectedStage = sql`${orders.stage} = ${lit(inspected.key)}`;
const latestResult = sql`(select ${inspections.result} from ${inspections} where ${inspections.orderId} = ${orders.id} order by ${inspections.createdAt} desc, ${inspections.id} desc limit 1)`;
const inspectedSince = sql`exists (select 1 from ${inspections} where ${inspections.orderId} = ${orders.id} and ${inspections.createdAt} >= ${lastUpdate})`;

/** The columns nextStep needs, read only for the stage they matter in (inspections: In Production). */
export const nextStepColumns = {
  submittedAt: orders.submittedAt,
  hasProposal: sql<boolean>`(${orders.proposal} is not null)`,
  stepFields: sql<FieldValues>`jsonb_strip_nulls(jsonb_build_object(${sql.join(
    nextStepFields.map((k) => sql`${lit(k)}, ${orders.fields}->${lit(k)}`),
    sql`, `,
  )}))`,
  failedInspections: sql<number>`(case when ${inInspectedStage} then (select count(*)::int from ${inspections} where ${inspections.orderId} = ${orders.id} and ${inspections.result} = 'fail') else 0 end)`,
  latestInspection: sql<InspectionResult | null>`(case when ${inInspectedStage} then ${latestResult} end)`,
  inspectedSinceUpdate: sql<boolean>`(case when ${inInspectedStage} then ${inspectedSince} else false end)`,
};

type StepRow = { state: NextStepFacts["state"]; stage: NextStepFacts["stage"]; submittedAt: Date | null; hasProposal: boolean; stepFields: FieldValues; failedInspections: number; latestInspection: InspectionResult | null; inspectedSinceUpdate: boolean };

/** A row read with nextStepColumns, as nextStep takes it. */
export function stepFacts(row: StepRow): NextStepFacts {
  return {
    state: row.state,
    stage: row.stage,
    fields: row.stepFields,
    submittedAt: row.submittedAt,
    hasProposal: row.hasProposal,
    failedInspections: Number(row.failedInspections),
    latestInspection: row.latestInspection,
    inspectedSinceUpdate: row.inspectedSinceUpdate,
  };
}

/** In Production's own work done (its gate, less the inspection): status Completed at 100 %. */
const workDone = sql`(${orders.fields}->>'productionStatus' = 'completed' and ${orders.fields}->'completionPercentage' = '100'::jsonb)`;

/** The step's kind, as nextStep decides it. */
export function stepKindSql(now: Date): SQL<StepKind> {
  const eta = sql`(${orders.fields}->>${lit(withEta.waiting.eta!)})::timestamptz`;
  return sql<StepKind>`(case
    when ${orders.state} = 'cancelled' then 'cancelled'
    when ${orders.state} = 'completed' then 'completed'
    when ${orders.state} = 'onHold' then (case when ${orders.proposal} is not null then 'proposal' else 'onHold' end)
    when ${inInspectedStage} then (case
      when ${latestResult} = 'fail' and (${inspectedSince} or not ${workDone}) then 'rework'
      when ${workDone} and ${latestResult} = 'pass' then 'passed'
      when ${workDone} then 'inspection'
      else 'waiting' end)
    when ${orders.stage} = ${lit(marked.key)} then (case when ${orders.submittedAt} is not null then 'revised' else 'draft' end)
    when ${orders.stage} = ${lit(withEta.key)} then (case when ${eta} > ${now.toISOString()}::timestamptz then 'inTransit' else 'receiptDue' end)
    else 'waiting' end)`;
}

/** stepRank in SQL: the stage's place in the flow, then the kind's. */
export function stepRankSql(kind: SQL, stage: SQL = sql`${orders.stage}`): SQL<number> {
  const stageIndex = sql`(case ${stage} ${sql.join(stageKeys.map((k, i) => sql`when ${lit(k)} then ${sql.raw(String(i))}`), sql` `)} end)`;
  const kindIndex = sql`(case ${kind} ${sql.join(stepKinds.map((k, i) => sql`when ${lit(k)} then ${sql.raw(String(i))}`), sql` `)} end)`;
  return sql<number>`(${stageIndex} * ${sql.raw(String(stepKinds.length))} + ${kindIndex})`;
}

/** Who has a step, as nextStep says: the inspector, the store for a held order, else the stage's owner. */
export function stepRoleSql(kind: SQL, stage: SQL = sql`${orders.stage}`): SQL<RoleKey | null> {
  const inspector = rolesAllowed("recordInspection", inspected.key)[0];
  const decider = rolesAllowed("reviseOrder", firstStage)[0];
  const owner = sql`(case ${stage} ${sql.join(stages.map((s) => sql`when ${lit(s.key)} then ${lit(s.owner)}`), sql` `)} end)`;
  return sql<RoleKey | null>`(case ${kind} when 'inspection' then ${lit(inspector)} when 'proposal' then ${lit(decider)} when 'onHold' then ${lit(decider)} when 'completed' then null when 'cancelled' then null else ${owner} end)`;
}

/** The facts nextStep reads, from an order as the order page loads it (its inspections newest first). */
export function detailStepFacts(order: { state: NextStepFacts["state"]; stage: NextStepFacts["stage"]; fields: FieldValues; submittedAt: Date | null; proposal: unknown; fieldsChangedAt: Date | null; stageEnteredAt: Date }, inspectionsNewestFirst: { result: InspectionResult; createdAt: Date }[]): NextStepFacts {
  const inStage = order.stage === inspected.key;
  const latest = inStage ? (inspectionsNewestFirst[0] ?? null) : null;
  const lastUpdate = order.fieldsChangedAt ?? order.stageEnteredAt;
  return {
    state: order.state,
    stage: order.stage,
    fields: order.fields,
    submittedAt: order.submittedAt,
    hasProposal: order.proposal !== null && order.proposal !== undefined,
    failedInspections: inStage ? inspectionsNewestFirst.filter((i) => i.result === "fail").length : 0,
    latestInspection: latest?.result ?? null,
    inspectedSinceUpdate: latest !== null && latest.createdAt.getTime() >= lastUpdate.getTime(),
  };
}
