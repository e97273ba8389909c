import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { type FieldValues, type InspectionResult, type OrderState, type RoleKey, type StageKey, firstStage, inspectionResults, orderStates, stageKeys } from "@/lib/workflow";
import type { StoredDayHours } from "@/lib/time/calendar";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** A CHECK list written from the workflow's own array, so the two cannot drift apart. */
const oneOf = (values: readonly string[]) => sql.raw(`(${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")})`);

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true });

export const accounts = pgTable(
  "accounts",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    /** Stored lower-case; unique whatever the case it is typed in. */
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    roles: text("roles").array().$type<RoleKey[]>().notNull(),
    active: boolean("active").notNull().default(true),
    /**
     * Every session carries the version it was issued at; raising it (sign-out, sign out
     * everywhere, deactivation, a password or role change) ends them all at their next request.
     */
    sessionVersion: integer("session_version").notNull().default(1),
    /** IANA time zone the account reads times in; null until detected or chosen. */
    timeZone: text("time_zone"),
    passwordChangedAt: ts("password_changed_at"),
    /** The local hour (0–23, in time_zone) the daily email digest leaves at. */
    digestHour: smallint("digest_hour").notNull().default(8),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("accounts_email_lower_idx").on(sql`lower(${t.email})`)],
);

export const stores = pgTable("stores", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  /** IANA time zone of the store: its stage clocks and due times are read in it. */
  timeZone: text("time_zone").notNull().default("UTC"),
  /** An archived store takes no new orders; its orders, history and KPIs stay. */
  archivedAt: ts("archived_at"),
});

/**
 * The shop itself, one row, written by `npm run setup`: its time zone for now. The working-hours
 * calendar (a later issue) joins it as columns of this row.
 */
export const shopSettings = pgTable(
  "shop_settings",
  {
    id: smallint("id").primaryKey().default(1),
    /** IANA time zone of the shop (the workshop's clock). */
    timeZone: text("time_zone").notNull(),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [check("shop_settings_one_row", sql`${t.id} = 1`)],
);

/**
 * Working calendars (lib/time/calendar.ts): the shop's (no store) in the shop's zone
 * (shop_settings, UTC until `npm run setup` sets it), and a store's in the store's zone. A table
 * of its own rather than columns of shop_settings: a store's calendar has the same shape, and the
 * shop's works before setup. Without one, the shop or the store works around the clock.
 */
export const workCalendars = pgTable(
  "work_calendars",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    /** Null: the shop's calendar (dispatch, production, quality control). */
    storeId: integer("store_id").references(() => stores.id, { onDelete: "cascade" }),
    /** Seven entries, Sunday first: opening and closing "HH:MM", or null for a day off. */
    week: jsonb("week").$type<StoredDayHours[]>().notNull(),
    /** Days off, YYYY-MM-DD, sorted. */
    holidays: jsonb("holidays").$type<string[]>().notNull().default([]),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [unique("work_calendars_store_key").on(t.storeId).nullsNotDistinct()],
);

export const storeMembers = pgTable(
  "store_members",
  {
    accountId: integer("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    storeId: integer("store_id").notNull().references(() => stores.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.storeId] }), index("store_members_store_idx").on(t.storeId)],
);

/**
 * One row per order. Field values live in `fields`; the few that KPIs and lists filter or
 * aggregate on are kept in their own indexed columns as well, written in the same statement.
 */
export const orders = pgTable(
  "orders",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    storeId: integer("store_id").notNull().references(() => stores.id),
    stage: text("stage").$type<StageKey>().notNull(),
    state: text("state").$type<OrderState>().notNull().default("active"),
    stageEnteredAt: ts("stage_entered_at").notNull(),
    stageDueAt: ts("stage_due_at").notNull(),
    /**
     * When the current stage turns at risk (lib/workflow/clock.ts), written with stage_due_at.
     * Null on rows written before calendars: their risk is the fixed target's (riskAtSql).
     */
    stageRiskAt: ts("stage_risk_at"),
    /**
     * When a field of the current stage last changed; null when none has since the order entered
     * it. Written by the command kernel (lib/orders/kernel.ts) with the history event, so quality
     * control's "awaiting inspection" queue can sort by the last production update from an index.
     */
    fieldsChangedAt: ts("fields_changed_at"),
    version: integer("version").notNull().default(1),
    fields: jsonb("fields").$type<FieldValues>().notNull().default({}),
    doneTodos: text("done_todos").array().notNull().default(sql`'{}'::text[]`),
    productSummary: text("product_summary").notNull().default(""),
    requiredDeliveryDate: date("required_delivery_date", { mode: "string" }),
    createdBy: integer("created_by").references(() => accounts.id),
    createdAt: createdAt(),
    /** When stage 1 was completed (the order submitted); production time starts here. */
    submittedAt: ts("submitted_at"),
    /** When stage 5 was completed: the store received the order. */
    receivedAt: ts("received_at"),
    customerRating: smallint("customer_rating"),
    cancelReason: text("cancel_reason"),
    /** The create form's submission token: one order per submission, however often it is posted. */
    submissionToken: uuid("submission_token"),
    /** Dispatch's alternative for a held (not feasible) order; cleared when accepted or revised. */
    proposal: jsonb("proposal").$type<Proposal>(),
    /**
     * A replacement and the order it replaces, linked both ways (SPEC: When a delivery goes
     * wrong): the new order names the one received damaged or not as specified, and that one
     * names its replacement, at most one. No foreign key: adding one would read every order under
     * a lock to validate it; the command writes both ends in one transaction.
     */
    replacesOrderId: integer("replaces_order_id"),
    replacementOrderId: integer("replacement_order_id"),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("orders_submission_token_key").on(t.submissionToken),
    // `id` last: a store's orders for the KPI page come from the index alone.
    index("orders_store_stage_idx").on(t.storeId, t.state, t.stage, t.id),
    index("orders_stage_due_idx").on(t.state, t.stageDueAt),
    // The queue's keyset pages (db/queries/orders.ts): open orders in (due, id) order, either way.
    // The state list is written as literals in the query too, so the planner can prove it matches.
    // Stage, state and store trail so the capped count (and a queue's filter on them) reads the index alone.
    index("orders_open_due_id_idx").on(t.stageDueAt, t.id, t.stage, t.state, t.storeId).where(sql`${t.state} in ('active', 'onHold')`),
    // A one-stage queue (quality control, a stage filter), and the KPI page's work-in-progress
    // counts from the index alone (state and store_id trail for that).
    // Open replacements go first in a queue: few rows, read by this partial index alone.
    index("orders_open_replacements_idx").on(t.stage, t.stageDueAt, t.id).where(sql`${t.replacesOrderId} is not null and ${t.state} in ('active', 'onHold')`),
    uniqueIndex("orders_replaces_order_id_key").on(t.replacesOrderId).where(sql`${t.replacesOrderId} is not null`),
    index("orders_open_stage_due_idx").on(t.stage, t.stageDueAt, t.id, t.state, t.storeId).where(sql`${t.state} in ('active', 'onHold')`),
    // Quality control's "awaiting inspection": active orders of a stage by their last production update.
    index("orders_active_stage_updated_idx")
      .on(t.stage, sql`coalesce(${t.fieldsChangedAt}, ${t.stageEnteredAt})`, t.id)
      .where(sql`${t.state} = 'active'`),
    // "All orders" sorted by due time, completed ones included.
    index("orders_due_id_idx").on(t.stageDueAt, t.id),
    // Covers the KPI delivery figures (lib/kpi), so they are read from the index alone.
    index("orders_received_idx")
      .on(t.receivedAt, t.storeId, t.submittedAt, t.requiredDeliveryDate, t.customerRating)
      .where(sql`${t.state} = 'completed'`),
    index("orders_created_idx").on(t.createdAt),
    // The order search: trigrams of the product specification (pg_trgm, migration 0014), so
    // `ilike '%word%'` for each word reads the index instead of every order's JSON.
    index("orders_specifications_trgm_idx").using("gin", sql`(${t.fields} ->> 'productSpecifications') gin_trgm_ops`),
    check("orders_state_check", sql`${t.state} in ${oneOf(orderStates)}`),
    check("orders_stage_check", sql`${t.stage} in ${oneOf(stageKeys)}`),
    check("orders_rating_check", sql`${t.customerRating} between 1 and 5`),
  ],
);

/**
 * How many orders there are in each stage, state and store, kept by the commands in the
 * transaction of each change (lib/orders/counts.ts), so the board's columns, the queue's totals,
 * the KPI page's work in progress and the stores' order counts never count the orders themselves.
 */
export const orderCounts = pgTable(
  "order_counts",
  {
    storeId: integer("store_id").notNull().references(() => stores.id),
    stage: text("stage").$type<StageKey>().notNull(),
    state: text("state").$type<OrderState>().notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.stage, t.state] })],
);

/**
 * The shop's production capacity (decision 027): units per working day of the shop's calendar,
 * from a day on until the next rate. A new machine from 1 March is a row from 2027-03-01.
 */
export const capacityRates = pgTable(
  "capacity_rates",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
    unitsPerDay: integer("units_per_day").notNull(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    updatedBy: integer("updated_by").references(() => accounts.id),
  },
  (t) => [unique("capacity_rates_from_key").on(t.effectiveFrom), check("capacity_rates_units_check", sql`${t.unitsPerDay} between 0 and 10000000`)],
);

/**
 * The load per day: the units of every order that takes capacity (lib/planning/capacity.ts),
 * spread over its schedule's working days. Kept by the commands in the transaction of each change
 * (lib/planning/load.ts), rebuilt on a change of the shop's calendar and by `npm run kpi:rebuild`.
 */
export const capacityLoad = pgTable("capacity_load", {
  day: date("day", { mode: "string" }).primaryKey(),
  units: integer("units").notNull(),
});

/** Each time an order enters a stage: due time, when it left, and whether open to-dos were confirmed. */
export const stageEntries = pgTable(
  "stage_entries",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer("order_id").notNull().references(() => orders.id, { onDelete: "cascade" }),
    stage: text("stage").$type<StageKey>().notNull(),
    enteredAt: ts("entered_at").notNull(),
    dueAt: ts("due_at").notNull(),
    completedAt: ts("completed_at"),
    completedBy: integer("completed_by").references(() => accounts.id),
    openTodosConfirmed: text("open_todos_confirmed").array(),
    /** The person working this stage entry (claimed or assigned); it ends with the entry. */
    assignedTo: integer("assigned_to").references(() => accounts.id, { onDelete: "set null" }),
    assignedAt: ts("assigned_at"),
    /**
     * How often the entry's due time moved (a changed plan): part of the time rules' occasion, so
     * each due time is alerted on once (lib/automation/evaluator.ts stageEntryOccasion).
     */
    dueRevision: smallint("due_revision").notNull().default(0),
  },
  (t) => [
    index("stage_entries_assigned_idx").on(t.assignedTo).where(sql`${t.completedAt} is null`),
    index("stage_entries_order_idx").on(t.orderId, t.enteredAt),
    // Covers the KPI stage times (lib/kpi): grouped by stage, read from the index alone.
    index("stage_entries_stage_completed_idx").on(t.stage, t.completedAt, t.enteredAt, t.dueAt, t.orderId),
  ],
);

export const inspections = pgTable(
  "inspections",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer("order_id").notNull().references(() => orders.id, { onDelete: "cascade" }),
    result: text("result").$type<InspectionResult>().notNull(),
    notes: text("notes").notNull().default(""),
    inspectorId: integer("inspector_id").references(() => accounts.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("inspections_order_idx").on(t.orderId, t.createdAt),
    // The KPI quality figures: inspections of a period, with their order and result.
    index("inspections_created_idx").on(t.createdAt, t.orderId, t.result),
    check("inspections_result_check", sql`${t.result} in ${oneOf(inspectionResults.values)}`),
  ],
);

/**
 * Why an inspection failed (SPEC: KPI page, quality by reason): a list administrators keep
 * (/admin/fail-reasons). A reason is archived, never deleted: the inspections that named it keep
 * it, and the KPI page still counts it. `needs_note`: naming it asks for a note ("Other").
 */
export const failReasons = pgTable(
  "fail_reasons",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    label: text("label").notNull(),
    needsNote: boolean("needs_note").notNull().default(false),
    /** The order of the inspection form's checkboxes. */
    position: integer("position").notNull().default(0),
    archivedAt: ts("archived_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("fail_reasons_label_key").on(sql`lower(${t.label})`)],
);

/**
 * The reasons a failed inspection names, one row each. The order and the time are copied from
 * the inspection so the order list's "failed for this reason in this period" filter reads one
 * index, and the KPI rollup has its own source rows.
 */
export const inspectionFailReasons = pgTable(
  "inspection_fail_reasons",
  {
    inspectionId: integer("inspection_id").notNull().references(() => inspections.id, { onDelete: "cascade" }),
    reasonId: integer("reason_id").notNull().references(() => failReasons.id),
    orderId: integer("order_id").notNull().references(() => orders.id, { onDelete: "cascade" }),
    createdAt: ts("created_at").notNull(),
    /** What "other" (a reason that needs a note) was. */
    note: text("note"),
  },
  (t) => [
    primaryKey({ columns: [t.inspectionId, t.reasonId] }),
    index("inspection_fail_reasons_reason_idx").on(t.reasonId, t.createdAt, t.orderId),
    index("inspection_fail_reasons_order_idx").on(t.orderId),
  ],
);

export const attachments = pgTable(
  "attachments",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer("order_id").notNull().references(() => orders.id, { onDelete: "cascade" }),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    /**
     * The bytes of a file attached before files moved to the file store (decision 021). Emptied
     * by `npm run attachments:move`; dropped in a later release (expand, then contract).
     */
    data: bytea("data"),
    /** The file's key in the file store (lib/storage); null only for a row not yet moved. */
    storageKey: text("storage_key"),
    /** The stage the order was in when the file was added. */
    stage: text("stage").$type<StageKey>().notNull().default(firstStage),
    uploadedBy: integer("uploaded_by").references(() => accounts.id),
    createdAt: createdAt(),
  },
  (t) => [index("attachments_order_idx").on(t.orderId)],
);

/**
 * A file the browser was given a signed URL for and has not been attached yet: who may attach
 * it, to which order (or, for an order being created, which store), under what name and size.
 * Attaching deletes the row in the order's transaction; the automation pass removes rows (and
 * their objects) left a day after they expired.
 */
export const fileUploads = pgTable(
  "file_uploads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    key: text("key").notNull().unique(),
    accountId: integer("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    orderId: integer("order_id").references(() => orders.id, { onDelete: "cascade" }),
    storeId: integer("store_id").references(() => stores.id),
    filename: text("filename").notNull(),
    size: integer("size").notNull(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [index("file_uploads_expires_idx").on(t.expiresAt)],
);

/** A KPI export: made at once (kind `direct`, counted for the limit) or as a file prepared in the background. */
export type ExportStatus = "queued" | "running" | "done" | "failed" | "expired";

/**
 * KPI exports per account (decision 021): each direct CSV (for the per-account limit) and each
 * export prepared in the background, whose file goes to the file store and is offered for
 * download until it expires. `filter` is the KPI page's query (period, from, to, store).
 */
export const exportJobs = pgTable(
  "export_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: integer("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"direct" | "background">().notNull(),
    filter: jsonb("filter").$type<Record<string, string>>().notNull(),
    filename: text("filename").notNull(),
    status: text("status").$type<ExportStatus>().notNull(),
    rowsTotal: integer("rows_total"),
    rowsDone: integer("rows_done").notNull().default(0),
    storageKey: text("storage_key"),
    sizeBytes: bigint("size_bytes", { mode: "number" }),
    error: text("error"),
    createdAt: createdAt(),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
    expiresAt: ts("expires_at"),
    /** A runner's lease: another takes the job over once it has passed (the runner died). */
    lockedUntil: ts("locked_until"),
  },
  (t) => [
    index("export_jobs_account_idx").on(t.accountId, t.createdAt),
    index("export_jobs_status_idx").on(t.status, t.lockedUntil),
    check("export_jobs_kind_check", sql`${t.kind} in ('direct', 'background')`),
    check("export_jobs_status_check", sql`${t.status} in ('queued', 'running', 'done', 'failed', 'expired')`),
  ],
);

/** An alternative dispatch proposes for an order it cannot make as asked. */
export type Proposal = { requiredDeliveryDate?: string; orderQuantity?: number; note?: string; proposedBy: number; proposedAt: string };

export type HistoryKind =
  | "created"
  | "commented"
  | "commentEdited"
  | "assigned"
  | "proposed"
  | "proposalAccepted"
  | "readyForReinspection"
  | "replacementRequested"
  | "fieldChanged"
  | "todoChanged"
  | "inspectionRecorded"
  | "attachmentAdded"
  | "stageCompleted"
  | "putOnHold"
  | "revised"
  | "cancelled"
  | "completed"
  | "dueMoved";

/** Append-only: a trigger (migration 0001) rejects UPDATE and DELETE. */
export const orderHistory = pgTable(
  "order_history",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer("order_id").notNull().references(() => orders.id),
    actorId: integer("actor_id").references(() => accounts.id),
    at: ts("at").notNull().defaultNow(),
    /** The order's version after this change: a stale form is shown the events past its version. */
    version: integer("version").notNull(),
    kind: text("kind").$type<HistoryKind>().notNull(),
    stage: text("stage").$type<StageKey>(),
    subject: text("subject"),
    before: jsonb("before"),
    after: jsonb("after"),
    note: text("note"),
  },
  (t) => [index("order_history_order_idx").on(t.orderId, t.id)],
);

// --- KPI rollups (lib/kpi/rollups.ts) ---------------------------------------------------------
// Per UTC day and store, kept up to date in the transaction that completes a stage, records an
// inspection or cancels an order; `npm run kpi:rebuild` recomputes them from the base tables.

/** Delivery and quality counts of a day: orders received (completed) and inspections recorded. */
export const kpiDaily = pgTable(
  "kpi_daily",
  {
    day: date("day", { mode: "string" }).notNull(),
    storeId: integer("store_id").notNull().references(() => stores.id),
    completed: integer("completed").notNull().default(0),
    /** Completed orders with a submission time, and the sum of their production seconds. */
    timed: integer("timed").notNull().default(0),
    productionSeconds: doublePrecision("production_seconds").notNull().default(0),
    withDue: integer("with_due").notNull().default(0),
    onTime: integer("on_time").notNull().default(0),
    rated: integer("rated").notNull().default(0),
    ratingSum: integer("rating_sum").notNull().default(0),
    /** Orders whose first inspection was this day, and how many of those passed. */
    firstInspected: integer("first_inspected").notNull().default(0),
    firstPassed: integer("first_passed").notNull().default(0),
    failedInspections: integer("failed_inspections").notNull().default(0),
    /**
     * Of the orders received this day (decision 029): those that never failed an inspection
     * (first-pass yield), their failed inspections (reworks per order), and those received
     * `damaged` or `wrongSpecification`.
     */
    firstPass: integer("first_pass").notNull().default(0),
    reworksOfReceived: integer("reworks_of_received").notNull().default(0),
    receivedBad: integer("received_bad").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.storeId] })],
);

/** Failed inspections recorded in a day naming each fail reason (the KPI page's Pareto). */
export const kpiFailReasonsDaily = pgTable(
  "kpi_fail_reasons_daily",
  {
    day: date("day", { mode: "string" }).notNull(),
    storeId: integer("store_id").notNull().references(() => stores.id),
    reasonId: integer("reason_id").notNull().references(() => failReasons.id),
    failed: integer("failed").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.storeId, t.reasonId] })],
);

/** Stage entries completed in a day, per stage, cancelled orders left out. */
export const kpiStageDaily = pgTable(
  "kpi_stage_daily",
  {
    day: date("day", { mode: "string" }).notNull(),
    storeId: integer("store_id").notNull().references(() => stores.id),
    stage: text("stage").$type<StageKey>().notNull(),
    entries: integer("entries").notNull().default(0),
    seconds: doublePrecision("seconds").notNull().default(0),
    late: integer("late").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.storeId, t.stage] })],
);

/** A histogram row's columns after its day or week (fresh builders for each table). */
const histogramColumns = () => ({
  storeId: integer("store_id").notNull().references(() => stores.id),
  metric: text("metric").notNull(),
  bucket: smallint("bucket").notNull(),
  n: integer("n").notNull(),
  lo: doublePrecision("lo").notNull(),
  hi: doublePrecision("hi").notNull(),
});

/**
 * Duration histograms for medians and 90th percentiles: `metric` is "production" or a stage key;
 * bucket b holds durations in [1.02^b, 1.02^(b+1)) seconds, with the smallest and largest seen.
 */
export const kpiDurations = pgTable(
  "kpi_durations",
  { day: date("day", { mode: "string" }).notNull(), ...histogramColumns() },
  (t) => [primaryKey({ columns: [t.day, t.storeId, t.metric, t.bucket] })],
);

/**
 * The same histograms per week (`week` is its Monday, UTC), written with the daily ones: a
 * period reads its whole weeks here and only its first and last few days from kpi_durations.
 */
export const kpiDurationsWeekly = pgTable(
  "kpi_durations_weekly",
  { week: date("week", { mode: "string" }).notNull(), ...histogramColumns() },
  (t) => [primaryKey({ columns: [t.week, t.storeId, t.metric, t.bucket] })],
);

// --- Accounts and sign-in ------------------------------------------------------------------

/**
 * Sign-in throttling, shared by every app server: one row per counted key ("email:…" or
 * "ip:…"), failures within the window, and until when the key is locked.
 */
export const signInThrottle = pgTable("sign_in_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStartedAt: ts("window_started_at").notNull(),
  lockedUntil: ts("locked_until"),
});

export type AuditKind =
  | "signIn"
  | "signInFailed"
  | "signInLocked"
  | "signInSlowed"
  | "signInUnlocked"
  | "passwordCheckFailed"
  | "signOut"
  | "signOutEverywhere"
  | "accountCreated"
  | "accountChanged"
  | "passwordChanged"
  | "passwordReset"
  | "storeCreated"
  | "storeChanged"
  | "storeArchived"
  | "storeRestored"
  | "ruleChanged"
  | "ruleCreated"
  | "ruleDeleted"
  | "apiKeyCreated"
  | "apiKeyRevoked"
  | "apiWrite"
  | "webhookEndpointCreated"
  | "webhookEndpointChanged"
  | "webhookSecretRotated"
  | "webhookEndpointDisabled"
  | "calendarChanged"
  | "capacityChanged"
  | "ruleRestored"
  | "failReasonCreated"
  | "failReasonChanged"
  | "failReasonArchived"
  | "failReasonRestored";

/** Append-only like order history (a trigger rejects UPDATE, DELETE and TRUNCATE): who did what to whom. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    at: ts("at").notNull().defaultNow(),
    kind: text("kind").$type<AuditKind>().notNull(),
    /** Who acted; null for a sign-in attempt that matched no account. */
    actorId: integer("actor_id").references(() => accounts.id),
    /** The account or store acted on. */
    accountId: integer("account_id").references(() => accounts.id),
    storeId: integer("store_id").references(() => stores.id),
    /** The email typed at sign-in, and the client address. */
    email: text("email"),
    ip: text("ip"),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_actor_idx").on(t.actorId, t.at),
    index("audit_log_account_idx").on(t.accountId, t.at),
    index("audit_log_kind_idx").on(t.kind, t.at),
  ],
);

// --- Automation ----------------------------------------------------------------------------

/**
 * What happens to an order that a rule can announce: the hand-offs between roles (SPEC.md,
 * "Automation rules"). Each is fired by the command that does it, once per change (the order's
 * version after it).
 */
export type OrderEvent = "readyForReinspection" | "proposalSent" | "proposalAccepted" | "proposalDeclined" | "cancelled" | "assigned";

/**
 * A time trigger names the stages it watches: `stages` (none = every stage); `stage` is the
 * one-stage form rules were stored with before, read as `stages: [stage]`.
 */
export type RuleTrigger =
  | { type: "field_equals"; stage: StageKey; field: string; value: string }
  | { type: "stage_entered"; stage: StageKey }
  | { type: "stage_at_risk"; stage?: StageKey; stages?: StageKey[] }
  | { type: "stage_overdue"; stage?: StageKey; stages?: StageKey[] }
  | { type: "delivery_at_risk" }
  | { type: "inspection_recorded"; result?: "pass" | "fail" }
  | { type: "order_event"; event: OrderEvent };
export type TriggerType = RuleTrigger["type"];

/** Who a rule tells: a role (store-scoped roles only for the order's store) or a person tied to the order. */
export type RecipientSpec =
  | { kind: "role"; role: RoleKey }
  | { kind: "storeManagers" }
  | { kind: "stageOwner" }
  | { kind: "assignee" }
  | { kind: "commenters" };

export const automationRules = pgTable("automation_rules", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  key: text("key").notNull().unique(),
  name: text("name").notNull(),
  trigger: jsonb("trigger").$type<RuleTrigger>().notNull(),
  recipients: jsonb("recipients").$type<RecipientSpec[]>().notNull(),
  message: text("message").notNull(),
  priority: text("priority").$type<"low" | "normal" | "high">().notNull().default("normal"),
  enabled: boolean("enabled").notNull().default(true),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  /** A deleted rule is archived: it no longer fires, keeps its log, and can be restored. */
  archivedAt: ts("archived_at"),
});

/** One row per rule, order and occasion: the unique key is what makes a rule fire once. */
export const ruleFirings = pgTable(
  "rule_firings",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    ruleId: integer("rule_id").notNull().references(() => automationRules.id, { onDelete: "cascade" }),
    orderId: integer("order_id").notNull().references(() => orders.id, { onDelete: "cascade" }),
    occasion: text("occasion").notNull(),
    firedAt: ts("fired_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("rule_firings_once_idx").on(t.ruleId, t.orderId, t.occasion),
    // The firing log, newest first: (fired_at, id) is its whole order, so a page reads 25 entries
    // (a pass fires thousands at the same instant: by fired_at alone every firing was sorted).
    index("rule_firings_fired_id_idx").on(t.firedAt, t.id),
    // One rule's firings, newest first (the log's rule filter).
    index("rule_firings_rule_fired_idx").on(t.ruleId, t.firedAt, t.id),
  ],
);

/** `skipped`: the recipient reads this rule in the app only. */
export type EmailStatus = "pending" | "sent" | "failed" | "skipped";
/** How an account takes a rule's email: at once, in the daily digest, or not at all (in-app only). */
export type EmailMode = "immediate" | "digest" | "none";

/**
 * A comment on an order. Its text is kept as written; an edit (by the author, within 10 minutes)
 * is kept in the order's history with the text before and after.
 */
export const orderComments = pgTable(
  "order_comments",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    orderId: integer("order_id").notNull().references(() => orders.id, { onDelete: "cascade" }),
    authorId: integer("author_id").notNull().references(() => accounts.id),
    body: text("body").notNull(),
    mentions: integer("mentions").array().notNull().default(sql`'{}'::int[]`),
    createdAt: createdAt(),
    editedAt: ts("edited_at"),
  },
  (t) => [index("order_comments_order_idx").on(t.orderId, t.id), index("order_comments_author_idx").on(t.orderId, t.authorId)],
);

/**
 * A grouped email: one per recipient per pass when more than a few notifications are due at
 * once, and each daily digest. Its id is the email's idempotency key.
 */
export const emailDigests = pgTable(
  "email_digests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: integer("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"grouped" | "daily">().notNull(),
    createdAt: createdAt(),
    emailStatus: text("email_status").$type<EmailStatus>().notNull().default("pending"),
    emailAttempts: integer("email_attempts").notNull().default(0),
    emailNextAttemptAt: ts("email_next_attempt_at").notNull().defaultNow(),
    emailLockedUntil: ts("email_locked_until"),
    emailLastError: text("email_last_error"),
    emailSentAt: ts("email_sent_at"),
    emailProviderId: text("email_provider_id"),
  },
  (t) => [index("email_digests_outbox_idx").on(t.emailStatus, t.emailNextAttemptAt)],
);

/** An account's choice per rule (`rule:<id>`) or for mentions (`mention`); no row: the default. */
export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    accountId: integer("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    topic: text("topic").notNull(),
    mode: text("mode").$type<EmailMode>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.topic] }), check("notification_preferences_mode_check", sql`${t.mode} in ('immediate','digest','none')`)],
);

/** The outbox: one row per recipient; email leaves after the commit, from here. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    firingId: integer("firing_id").references(() => ruleFirings.id, { onDelete: "cascade" }),
    /** A mention's notification: the comment that named the account. */
    commentId: integer("comment_id").references(() => orderComments.id, { onDelete: "cascade" }),
    accountId: integer("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    /** The order the alert is about; null for an account alert (aboutAccountId). */
    orderId: integer("order_id").references(() => orders.id, { onDelete: "cascade" }),
    /** An account alert's subject: an administrator's sign-in under attack (lib/auth/lock-alert.ts). */
    aboutAccountId: integer("about_account_id").references(() => accounts.id, { onDelete: "cascade" }),
    message: text("message").notNull(),
    priority: text("priority").$type<"low" | "normal" | "high">().notNull(),
    createdAt: createdAt(),
    readAt: ts("read_at"),
    emailStatus: text("email_status").$type<EmailStatus>().notNull().default("pending"),
    emailAttempts: integer("email_attempts").notNull().default(0),
    emailNextAttemptAt: ts("email_next_attempt_at").notNull().defaultNow(),
    emailLockedUntil: ts("email_locked_until"),
    emailLastError: text("email_last_error"),
    emailSentAt: ts("email_sent_at"),
    emailProviderId: text("email_provider_id"),
    emailMode: text("email_mode").$type<EmailMode>().notNull().default("immediate"),
    /** Set when the notification's email went out as part of a grouped email. */
    digestId: uuid("digest_id").references(() => emailDigests.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("notifications_once_idx").on(t.firingId, t.accountId),
    uniqueIndex("notifications_mention_once_idx").on(t.commentId, t.accountId),
    // The inbox's order, read backwards: an account's unread first, then newest first.
    index("notifications_inbox_order_idx").on(t.accountId, sql`(${t.readAt} is null)`, t.createdAt, t.id),
    // The unread count on every page reads this alone, and stops at its cap.
    index("notifications_unread_idx").on(t.accountId, t.orderId).where(sql`${t.readAt} is null`),
    index("notifications_outbox_idx").on(t.emailStatus, t.emailNextAttemptAt),
    // Retention finds old read alerts through it (lib/operations/retention.ts); built CONCURRENTLY.
    index("notifications_read_idx").on(t.readAt).where(sql`${t.readAt} is not null`),
  ],
);

/** Emails "sent" without RESEND_API_KEY land here and show at /dev/mailbox. */
export const devMailbox = pgTable("dev_mailbox", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  idempotencyKey: text("idempotency_key").notNull().unique(),
  to: text("to").notNull(),
  from: text("from").notNull(),
  subject: text("subject").notNull(),
  html: text("html").notNull(),
  text: text("text").notNull(),
  createdAt: createdAt(),
});

// --- API keys and webhooks (decision 019) --------------------------------------------------

/**
 * An API key acts as its account (roles, stores, active flag read on each request). The secret
 * is shown once; only its keyed hash is kept (lib/api/keys.ts), and `prefix` to recognise it.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    accountId: integer("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    createdBy: integer("created_by").references(() => accounts.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: ts("expires_at"),
    lastUsedAt: ts("last_used_at"),
    revokedAt: ts("revoked_at"),
    revokedBy: integer("revoked_by").references(() => accounts.id, { onDelete: "set null" }),
    /** Requests a minute; null: the default (MAKELINE_API_RATE_LIMIT). */
    rateLimitPerMinute: integer("rate_limit_per_minute"),
  },
  (t) => [uniqueIndex("api_keys_secret_hash_key").on(t.secretHash), index("api_keys_account_idx").on(t.accountId)],
);

/** Requests per key in the current fixed window, in the database so the limit holds across servers. */
export const apiRateLimits = pgTable("api_rate_limits", {
  keyId: integer("key_id").primaryKey().references(() => apiKeys.id, { onDelete: "cascade" }),
  windowStartedAt: ts("window_started_at").notNull(),
  count: integer("count").notNull(),
});

/**
 * An `Idempotency-Key` of a create: the request it came with (a hash of its body), and the
 * answer the first request gave, which every retry gets again.
 */
export const apiIdempotency = pgTable(
  "api_idempotency",
  {
    keyId: integer("key_id").notNull().references(() => apiKeys.id, { onDelete: "cascade" }),
    idempotencyKey: text("idempotency_key").notNull(),
    requestHash: text("request_hash").notNull(),
    orderId: integer("order_id").references(() => orders.id, { onDelete: "cascade" }),
    responseStatus: smallint("response_status"),
    responseBody: jsonb("response_body"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.keyId, t.idempotencyKey] }), index("api_idempotency_created_idx").on(t.createdAt)],
);

/**
 * A receiver of webhooks: its URL, the events it wants (and optionally one store), and its
 * signing secret. While a rotation overlaps, the previous secret signs too, until it expires.
 */
export const webhookEndpoints = pgTable("webhook_endpoints", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  url: text("url").notNull(),
  description: text("description").notNull().default(""),
  events: text("events").array().notNull(),
  storeId: integer("store_id").references(() => stores.id, { onDelete: "cascade" }),
  secret: text("secret").notNull(),
  previousSecret: text("previous_secret"),
  previousSecretExpiresAt: ts("previous_secret_expires_at"),
  enabled: boolean("enabled").notNull().default(true),
  /** Since when every delivery has failed; null after a success. Three days of it disables the endpoint. */
  failingSince: ts("failing_since"),
  disabledAt: ts("disabled_at"),
  disabledReason: text("disabled_reason"),
  /** When the administrators were told it was disabled (after the email left). */
  alertedAt: ts("alerted_at"),
  createdBy: integer("created_by").references(() => accounts.id, { onDelete: "set null" }),
  createdAt: createdAt(),
});

export type WebhookDeliveryStatus = "pending" | "delivered" | "failed";

/**
 * The webhook outbox: one row per event and endpoint, written in the transaction of the change.
 * Its id is the `webhook-id` every attempt carries (Standard Webhooks), so a receiver drops repeats.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    endpointId: integer("endpoint_id").notNull().references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    orderId: integer("order_id").references(() => orders.id, { onDelete: "cascade" }),
    payload: jsonb("payload").notNull(),
    createdAt: createdAt(),
    status: text("status").$type<WebhookDeliveryStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    /** Retries stop here (three days after the event, or after a resend). */
    giveUpAt: ts("give_up_at").notNull(),
    lockedUntil: ts("locked_until"),
    lastAttemptAt: ts("last_attempt_at"),
    responseStatus: smallint("response_status"),
    /** The first bytes of the receiver's answer. */
    responseBody: text("response_body"),
    lastError: text("last_error"),
    deliveredAt: ts("delivered_at"),
  },
  (t) => [
    index("webhook_deliveries_outbox_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt),
    check("webhook_deliveries_status_check", sql`${t.status} in ('pending','delivered','failed')`),
  ],
);

export type Account = typeof accounts.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
export type Store = typeof stores.$inferSelect;
export type Order = typeof orders.$inferSelect;
export type StageEntry = typeof stageEntries.$inferSelect;
export type Inspection = typeof inspections.$inferSelect;
export type FailReason = typeof failReasons.$inferSelect;
export type HistoryEvent = typeof orderHistory.$inferSelect;
export type AutomationRule = typeof automationRules.$inferSelect;
export type Notification = typeof notifications.$inferSelect;
export type OrderComment = typeof orderComments.$inferSelect;
export type EmailDigest = typeof emailDigests.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WorkCalendarRow = typeof workCalendars.$inferSelect;
