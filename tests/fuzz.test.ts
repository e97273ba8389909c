import { readFileSync, readdirSync } from "node:fs";
import { archiveFailReason, createFailReason, updateFailReason } from "@/lib/fail-reasons/commands";
import { listFailReasons } from "@/db/queries/fail-reasons";
import path from "node:path";
import fc from "fast-check";
import type { z } from "zod";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { type Connection, type Db, rowsOf } from "@/db/client";
import { accounts, apiKeys, attachments, automationRules, failReasons, inspections, notificationPreferences, notifications, orderComments, orderHistory, orders, stageEntries, storeMembers, stores, webhookDeliveries, webhookEndpoints, workCalendars, capacityRates } from "@/db/schema";
import { listFirings, listRules } from "@/db/queries/automation";
import { listAllStores } from "@/db/queries/stores";
import { shopCalendarRow, storeCalendarRows } from "@/db/queries/calendars";
import { capacityRateRows, shopCalendar } from "@/lib/planning/load";
import { setCapacity } from "@/lib/planning/commands";
import { capacityWeeks } from "@/lib/planning/check";
import { firingLogSchema } from "@/lib/automation/filters";
import { listMailbox, mailboxEmail } from "@/db/queries/mailbox";
import { accountDetail, listAccounts } from "@/db/queries/account-admin";
import { auditKinds, listAudit } from "@/db/queries/audit";
import { parseAccountList } from "@/lib/account-admin/filters";
import { parseAuditFilter } from "@/lib/audit/filters";
import { mailboxQuerySchema } from "@/lib/email/filters";
import { listInbox, preferencesOf } from "@/db/queries/notifications";
import { inboxFilterSchema } from "@/lib/inbox/filters";
import { boardColumns, listOrders, orderDetail } from "@/db/queries/orders";
import { boardSchema, orderListSchema, parseTravellerBatch } from "@/lib/orders/filters";
import { TRAVELLER_BATCH, filteredOrderIds, travellers } from "@/db/queries/travellers";
import { type ActionHandler, actionDefinition, runAction } from "@/lib/auth/action";
import { can } from "@/lib/auth/policy";
import { attemptSignIn, verifyCredentials } from "@/lib/auth/sign-in";
import { changeOwnPassword, createAccount, resetPassword, setAccountActive, setOwnTimeZone, signOutEverywhere, unlockSignIn, updateAccount } from "@/lib/account-admin/commands";
import { emailThrottleState } from "@/lib/auth/throttle";
import { emailSchema } from "@/lib/account-admin/schemas";
import { DEMO_PASSWORD } from "@/lib/demo/accounts";
import { isTimeZone, timeZones } from "@/lib/forms/time-zones";
import { noInputSchema } from "@/lib/inbox/schemas";
import { addComment } from "@/lib/orders/conversation";
import { proposeAlternative } from "@/lib/orders/proposals";
import { archiveStore, createStore, updateStore } from "@/lib/stores/commands";
import { isoDateSchema, textProblem } from "@/lib/forms/input";
import { parseKpiFilter } from "@/lib/kpi/filters";
import { kpiReport } from "@/lib/kpi/queries";
import { countKpiCsvRows } from "@/lib/kpi/export";
import { addAttachments, cancelOrder, completeStage, createOrder, prepareUpload, recordInspection, reviseOrder, saveFields, toggleTodo } from "@/lib/orders/commands";
import { listMyExports, serveExportFile, startKpiExport } from "@/lib/kpi/export-jobs";
import { updateRule } from "@/lib/rule-admin/commands";
import { markNotificationRead } from "@/lib/inbox/commands";
import type { ActionState } from "@/lib/result";
import { type Actor, type OrderAction, type OrderState, decide, fieldSchemas, fields as fieldDefs, idSchema, isFieldKey, isStoreScoped, roleKeys, stage as stageDef, stageKeys, todoKey } from "@/lib/workflow";
import { orderEvents, priorities, recipientTokens, triggerTypes } from "@/lib/automation/schemas";
import { normaliseRuleValue } from "@/lib/automation/values";
import { logger } from "@/lib/log";
import { createApiKey, revokeApiKey } from "@/lib/api/key-commands";
import { runApiRoute } from "@/lib/api/route";
import { apiRoutes } from "@/lib/api/routes";
import { createWebhookEndpoint } from "@/lib/webhooks/commands";
import { webhookEventKeys } from "@/lib/webhooks/event-types";
import { formatOrderNumber } from "@/lib/workflow";
import { testDatabase } from "./database";
import { orderIn, pdfFile, seedActors, seededFailReasons } from "./fixtures";
import {
  type Entry,
  type Input,
  anyTodo,
  badName,
  badPassword,
  controlNames,
  describeEntries,
  emailOf,
  fileSpec,
  formEntries,
  group,
  hostileId,
  hostileText,
  idOrHostile,
  inDays,
  orHostile,
  otherZone,
  password,
  personName,
  queryParams,
  searchOf,
  storeCodeOf,
  storeName,
  toFormData,
  validControl,
  words,
} from "./fuzz/inputs";

/**
 * The fuzz suite (issue #12). Every server action and every route handler, for every role and
 * signed out, meets generated input: text a person would type mixed with hostile text (NUL and
 * other control characters, broken surrogates, huge strings), numbers in other spellings, huge
 * and negative numbers, impossible dates, files where text belongs and text where files belong,
 * inputs left out, given twice or added, ids out of range. Each case runs in a transaction that is
 * rolled back, so every case meets the same orders. The properties:
 *
 *   1. nothing throws, and a route answers below 500;
 *   2. a refusal changes nothing: a fingerprint of every table is the same after it;
 *   3. a refusal is the documented one: an action's form message (never "something went wrong")
 *      with field messages keyed by the form's own inputs, and a hidden input's problem said as
 *      the form message; a route's 4xx;
 *   4. nothing is logged: no stack trace, no content;
 *   5. what is accepted is stored valid: each field value of the order passes its schema, and no
 *      stored text holds a control character; accounts keep lower-case, unique emails, known
 *      roles (never none), a store for each store manager and no password in clear; stores keep
 *      codes of their pattern and IANA time zones.
 *
 * The seed is fixed (FUZZ_SEED overrides it; fast-check prints it with any counterexample) and
 * FUZZ_RUNS scales the number of cases.
 */

// The account page's actions import Auth.js for `signOut` (run by `done` and by the sign-out
// wrapper, never by runAction); next-auth's ESM build does not load outside Next. Nothing here signs out.
vi.mock("@/lib/auth", () => ({ signOut: vi.fn() }));

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_212);
const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));
const params = (n: number) => ({ seed: SEED, numRuns: runs(n) });
let cases = 0;

let conn: Connection;
let actors: (Actor | null)[];
let actorArb: fc.Arbitrary<Actor | null>;
type OrderRef = { id: number; version: number; stage: (typeof stageKeys)[number]; state: OrderState; storeId: number };
let world: {
  orders: OrderRef[];
  stores: number[];
  attachment: { id: number; orderId: number };
  notifications: { id: string; accountId: number }[];
  rules: number[];
  /** Every account (the demo ones and one deactivated), and every store (north, south and one archived). */
  accounts: { id: number; email: string }[];
  allStores: { id: number; code: string }[];
  /** Comments just posted (so their authors may still edit them). */
  comments: { id: number; authorId: number }[];
  /** An API key of every demo account (by account id), one revoked, and the keys' and webhooks' rows. */
  apiKeys: { accountId: number; secret: string }[];
  revokedKey: string;
  keyIds: number[];
  endpoints: number[];
  deliveries: string[];
};
let fingerprintSql: string;
let tableNames: string[];
let logged: ReturnType<typeof vi.spyOn>[];

class Rollback extends Error {}

/** Runs one case in a transaction that is always rolled back. */
async function rolledBack<T>(work: (tx: Db) => Promise<T>): Promise<T> {
  let out: T | undefined;
  try {
    await conn.db.transaction(async (tx) => {
      out = await work(tx as unknown as Db);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  cases++;
  return out as T;
}

/** Every row of every table of the app, as one hash per table. */
async function fingerprint(tx: Db): Promise<Record<string, string>> {
  return rowsOf<Record<string, string>>(await tx.execute(sql.raw(fingerprintSql)))[0];
}

const logCount = () => logged.reduce((n, spy) => n + spy.mock.calls.length, 0);

/** Properties 1 to 4 around one case, and 5 when `accepted` says what to check. */
/**
 * `refusalWrites`: tables a documented refusal writes to (a wrong current password counts against
 * the password throttle and is audited, decision 016); every other table stays as it was.
 */
async function expectCase(tx: Db, run: () => Promise<{ refused: boolean; check?: () => Promise<void> }>, label: () => string, refusalWrites: string[] = []) {
  const unwritten = (f: Record<string, string>) => Object.fromEntries(Object.entries(f).filter(([table]) => !refusalWrites.includes(table)));
  const before = await fingerprint(tx);
  const logsBefore = logCount();
  const outcome = await run();
  expect(logCount() - logsBefore, `nothing is logged: ${label()}`).toBe(0);
  if (outcome.refused) expect(unwritten(await fingerprint(tx)), `a refusal changes nothing: ${label()}`).toEqual(unwritten(before));
  await outcome.check?.();
}

/** What a wrong current password writes: the throttle's count and the audit entry. */
const passwordCheckWrites = ["sign_in_throttle", "audit_log"];

// --- What is stored ------------------------------------------------------------------------

function expectCleanText(value: unknown, where: string) {
  if (typeof value === "string") expect(textProblem(value) ?? (/[\u202a-\u202e\u2066-\u2069]/.test(value) ? "a bidi control" : null), `${where}: ${JSON.stringify(value.slice(0, 60))}`).toBeNull();
  else if (Array.isArray(value)) value.forEach((v, i) => expectCleanText(v, `${where}[${i}]`));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) expectCleanText(v, `${where}.${k}`);
}

/** Property 5: the order as stored, its history, attachments and inspections. */
async function expectStoredValid(tx: Db, orderId: number) {
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId));
  if (!order) return;
  for (const [key, value] of Object.entries(order.fields)) {
    expect(isFieldKey(key), `stored field ${key}`).toBe(true);
    const parsed = fieldSchemas[key as keyof typeof fieldSchemas].safeParse(value);
    // A delivery date may have become past since it was stored; every other rule still holds.
    const issues = parsed.success ? [] : parsed.error.issues.filter((i) => i.message !== "The delivery date cannot be in the past");
    expect(issues, `stored ${key} = ${JSON.stringify(value)}`).toEqual([]);
  }
  expectCleanText([order.fields, order.productSummary, order.cancelReason ?? ""], `order ${orderId}`);
  const history = await tx.select({ subject: orderHistory.subject, note: orderHistory.note, before: orderHistory.before, after: orderHistory.after }).from(orderHistory).where(eq(orderHistory.orderId, orderId));
  expectCleanText(history, `history of ${orderId}`);
  const files = await tx.select({ filename: attachments.filename }).from(attachments).where(eq(attachments.orderId, orderId));
  for (const f of files) {
    expectCleanText(f.filename, "filename");
    expect(f.filename).not.toMatch(/[\\/]/);
  }
  expectCleanText(await tx.select({ notes: inspections.notes }).from(inspections).where(eq(inspections.orderId, orderId)), "inspections");
  expectCleanText(await tx.select({ body: orderComments.body }).from(orderComments).where(eq(orderComments.orderId, orderId)), `comments on ${orderId}`);
  if (order.proposal) {
    const { requiredDeliveryDate, orderQuantity, note } = order.proposal;
    if (requiredDeliveryDate !== undefined) expect(fieldSchemas.requiredDeliveryDate.safeParse(requiredDeliveryDate).success, `proposed date ${requiredDeliveryDate}`).toBe(true);
    if (orderQuantity !== undefined) expect(fieldSchemas.orderQuantity.safeParse(orderQuantity).success, `proposed quantity ${orderQuantity}`).toBe(true);
    expect(requiredDeliveryDate !== undefined || orderQuantity !== undefined, "a proposal proposes something").toBe(true);
    expectCleanText(note ?? "", "proposal note");
  }
  // Whoever works the current stage is an active account.
  const [entry] = await tx.select({ assignedTo: stageEntries.assignedTo }).from(stageEntries).where(and(eq(stageEntries.orderId, orderId), isNull(stageEntries.completedAt)));
  if (entry?.assignedTo != null) {
    const [person] = await tx.select({ active: accounts.active }).from(accounts).where(eq(accounts.id, entry.assignedTo));
    expect(person?.active, `the assignee of ${orderId} is an active account`).toBe(true);
  }
}

/** Endpoint URLs an administrator would type, and addresses no webhook may reach. */
const webhookUrl = fc.oneof(
  fc.constantFrom("https://hooks.example.com/makeline", "https://erp.example.org:8443/in/makeline?source=ml", "https://example.com/"),
  fc.webUrl({ validSchemes: ["https"] }),
);
const internalUrl = fc.constantFrom("https://10.0.0.5/hook", "https://127.0.0.1/hook", "https://169.254.169.254/latest/meta-data", "https://[::1]/x", "https://localhost/x", "http://hooks.example.com/x", "https://user:pw@hooks.example.com/", "javascript:alert(1)");

/** Property 5 for API keys: clean names, a hash and never a secret in clear, one account each. */
async function expectApiKeysValid(tx: Db) {
  for (const k of await tx.select().from(apiKeys)) {
    expectName(k.name, 80, `key ${k.id}`);
    expect(k.secretHash, `key ${k.id}`).toMatch(/^[0-9a-f]{64}$/);
    expect(k.prefix, `key ${k.id}`).toMatch(/^ml_live_[A-Za-z0-9_-]{6}$/);
  }
  expect(await storedInClear(tx, world.apiKeys[0].secret)).toBe(false);
}

/** Property 5 for webhook endpoints: https, no internal address literal, known events (never none), a signing secret. */
async function expectEndpointsValid(tx: Db) {
  const { isInternalAddress } = await import("@/lib/webhooks/destination");
  for (const e of await tx.select().from(webhookEndpoints)) {
    const url = new URL(e.url);
    expect(url.protocol, e.url).toBe("https:");
    expect(url.username + url.password, e.url).toBe("");
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (/^[\d.]+$|:/.test(host)) expect(isInternalAddress(host), e.url).toBe(false);
    expect(e.events.length, e.url).toBeGreaterThan(0);
    for (const ev of e.events) expect(webhookEventKeys as readonly string[], e.url).toContain(ev);
    expect(e.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expectCleanText(e.description, `endpoint ${e.id}`);
  }
}

/** Property 5 for a rule: clean single-line name and message, a known trigger, known recipients (never none). */
async function expectRuleValid(tx: Db, ruleId: number) {
  const [rule] = await tx.select().from(automationRules).where(eq(automationRules.id, ruleId));
  expectName(rule.name, 80, `rule ${ruleId}`);
  expect(rule.message.length >= 5 && rule.message.length <= 300 && !/[\t\n\r]/.test(rule.message), `rule ${ruleId}: message ${JSON.stringify(rule.message)}`).toBe(true);
  expectCleanText([rule.message, rule.trigger], `rule ${ruleId}`);
  expect(triggerTypes as readonly string[], `rule ${ruleId}: trigger`).toContain(rule.trigger.type);
  if (rule.trigger.type === "field_equals") {
    expect(isFieldKey(rule.trigger.field), `rule ${ruleId}: field`).toBe(true);
    // Stored as the field stores it: a choice field's key, text trimmed (lib/automation/values.ts).
    expect(normaliseRuleValue(rule.trigger.field, rule.trigger.value), `rule ${ruleId}: value`).toBe(rule.trigger.value);
  }
  expect(rule.recipients.length, `rule ${ruleId}: recipients`).toBeGreaterThan(0);
  for (const r of rule.recipients) expect(recipientTokens as readonly string[], `rule ${ruleId}: recipient`).toContain(r.kind === "role" ? `role:${r.role}` : r.kind);
  expect(priorities as readonly string[]).toContain(rule.priority);
}

/** Does any row of any table hold `text` (as its JSON spelling: quotes and control characters escaped)? */
async function storedInClear(tx: Db, text: string): Promise<boolean> {
  const needle = JSON.stringify(text).slice(1, -1);
  const found = sql.join(
    tableNames.map((name) => sql`exists (select 1 from ${sql.identifier(name)} t where strpos(to_jsonb(t)::text, ${needle}) > 0)`),
    sql` or `,
  );
  return rowsOf<{ found: boolean }>(await tx.execute(sql`select ${found} as found`))[0].found;
}

/** A single-line name: trimmed, not empty, no line breaks or control characters. */
function expectName(name: string, max: number, where: string) {
  expect(name.length > 0 && name.length <= max && name === name.trim() && !/[\t\n\r]/.test(name), `${where}: name ${JSON.stringify(name.slice(0, 60))}`).toBe(true);
  expectCleanText(name, `${where}: name`);
}

const expectZone = (zone: string, where: string) => expect(isTimeZone(zone) && zone === zone.trim(), `${where}: time zone ${JSON.stringify(zone)}`).toBe(true);

/**
 * Property 5 for accounts: emails lower-case, trimmed, valid and unique; names clean; roles
 * known, not repeated, never none; a store manager has a store; a hash, never a password in clear.
 */
async function expectAccountsValid(tx: Db, passwords: string[] = []) {
  const rows = await tx.select().from(accounts);
  const members = await tx.select().from(storeMembers);
  expect(new Set(rows.map((a) => a.email.toLowerCase())).size, "emails are unique").toBe(rows.length);
  for (const a of rows) {
    const where = `account ${a.id}`;
    expect(a.email, where).toBe(a.email.trim().toLowerCase());
    expect(emailSchema.safeParse(a.email).success, `${where}: email ${JSON.stringify(a.email)}`).toBe(true);
    expectName(a.name, 200, where);
    expect(a.roles.length, `${where}: roles`).toBeGreaterThan(0);
    expect(new Set(a.roles).size, `${where}: roles once`).toBe(a.roles.length);
    for (const role of a.roles) expect(roleKeys, where).toContain(role);
    if (a.roles.some(isStoreScoped)) expect(members.some((m) => m.accountId === a.id), `${where}: a store manager has a store`).toBe(true);
    expect(a.passwordHash, where).toMatch(/^\$argon2id\$/);
    if (a.timeZone !== null) expectZone(a.timeZone, where);
  }
  for (const p of passwords) expect(await storedInClear(tx, p), `no row holds the password ${JSON.stringify(p)} in clear`).toBe(false);
}

/** Property 5 for stores: codes by their pattern and unique, names clean, IANA time zones. */
async function expectFailReasonsValid(tx: Db) {
  const rows = await tx.select().from(failReasons);
  expect(new Set(rows.map((r) => r.label.toLowerCase())).size, "fail reason names are unique").toBe(rows.length);
  for (const r of rows) expectName(r.label, 60, `fail reason ${r.id}`);
  expect(rows.some((r) => !r.archivedAt), "one fail reason stays open").toBe(true);
}

async function expectStoresValid(tx: Db) {
  const rows = await tx.select().from(stores);
  expect(new Set(rows.map((s) => s.code)).size, "store codes are unique").toBe(rows.length);
  for (const s of rows) {
    expect(s.code, `store ${s.id}`).toMatch(/^[a-z0-9][a-z0-9-]{1,31}$/);
    expectName(s.name, 100, `store ${s.id}`);
    expectZone(s.timeZone, `store ${s.id}`);
  }
}

const calendarDays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** Stored calendars: seven weekdays, each a day off or opening before closing; holidays real days, sorted, once. */
async function expectCapacityValid(tx: Db) {
  const rates = await tx.select().from(capacityRates);
  expect(new Set(rates.map((r) => r.effectiveFrom)).size).toBe(rates.length);
  for (const r of rates) expect(isoDateSchema.safeParse(r.effectiveFrom).success && Number.isSafeInteger(r.unitsPerDay) && r.unitsPerDay >= 0, JSON.stringify(r)).toBe(true);
}

async function expectCalendarsValid(tx: Db) {
  for (const c of await tx.select().from(workCalendars)) {
    expect(c.week, `calendar ${c.id}`).toHaveLength(7);
    expect(c.week.some((d) => d !== null), `calendar ${c.id} has working hours`).toBe(true);
    for (const d of c.week) if (d) expect(d.open < d.close && /^\d{2}:\d{2}$/.test(d.open) && /^\d{2}:\d{2}$/.test(d.close), `calendar ${c.id} ${JSON.stringify(d)}`).toBe(true);
    expect([...new Set(c.holidays)].sort(), `calendar ${c.id} holidays`).toEqual(c.holidays);
    for (const h of c.holidays) expect(isoDateSchema.safeParse(h).success, h).toBe(true);
  }
}

// --- Server actions ------------------------------------------------------------------------

/** Inputs forms carry hidden: a problem there must be the form's message, not a field's. */
const hidden = new Set(["orderId", "version", "stage", "editable", "intent", "ruleId", "notificationId", "submissionToken"]);

function expectDocumentedRefusal(state: ActionState, actor: Actor | null, placeable: Set<string>, hiddenHere: Set<string>, label: string) {
  expect(state.ok, label).toBe(false);
  expect(Boolean(state.signedOut), `signed out iff no account: ${label}`).toBe(actor === null);
  // A step that asks first (delete, archive, deactivate) answers with its question instead.
  const message = state.confirm ? state.confirm.question : state.formError;
  expect(typeof message === "string" && message.length > 0, `a form message: ${label}`).toBe(true);
  expect(message, `not the unexpected-error message: ${label}`).not.toMatch(/went wrong|reference [0-9a-f]{8}/);
  expect(message, `no stack or error text: ${label}`).not.toMatch(/\n\s+at |Error:|Failed query|violates/);
  for (const [key, messages] of Object.entries(state.fieldErrors ?? {})) {
    const root = key.split(".")[0];
    expect(placeable.has(root) || placeable.has(key), `field message under an input of the form (${key}): ${label}`).toBe(true);
    expect(messages.length > 0 && messages.every((m) => typeof m === "string" && m.length > 0 && !/\n\s+at /.test(m)), label).toBe(true);
    if (hiddenHere.has(root)) expect(state.formError, `a hidden input's problem is the form message: ${label}`).not.toBe("Check the highlighted fields");
  }
}

type ActionCase = {
  /** The exported server action. */
  action: object;
  /** Names the form has, beside which field messages may appear. */
  inputs: string[];
  /** Who submits, and the form's entries, for this world. */
  cases: () => fc.Arbitrary<[Actor | null, Entry[]]>;
  runs: number;
  /** Inputs this form carries hidden, beside the ones every form does (`hidden`). */
  hidden?: string[];
  /** Property 5 for what this action stores (by default: the order it acted on). */
  stored?: (tx: Db, success: { result: object; input: unknown }, actor: Actor) => Promise<void>;
  /**
   * For a hand-written wrapper that registers no definition (it calls an unexported
   * validatedAction, then something that needs a request): that inner action's schema and handler.
   */
  definition?: { schema: z.ZodType; handler: ActionHandler<z.ZodType, object> };
  /** Tables a documented refusal of this action writes to (expectCase). */
  refusalWrites?: string[];
};

const signedInActors = () => actors.filter((a): a is Actor => a !== null);

/** Now and then anyone at all (any role, or signed out) instead of `likely`. */
const mostly = (likely: Actor[]) => (likely.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...likely) }, { weight: 1, arbitrary: actorArb }) : actorArb);

/**
 * An order and who acts on it: mostly an order the action applies to and an account that may
 * take it there (so the command runs and writes), otherwise any order and anyone.
 */
function orderAndActor(action: OrderAction): fc.Arbitrary<[OrderRef, Actor | null]> {
  const allowed = (ref: OrderRef) => signedInActors().filter((a) => decide(a, action, ref).ok);
  const fitting = world.orders.filter((o) => allowed(o).length > 0);
  const refs = fitting.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...fitting) }, { weight: 1, arbitrary: fc.constantFrom(...world.orders) }) : fc.constantFrom(...world.orders);
  return refs.chain((ref) => mostly(allowed(ref)).map((actor): [OrderRef, Actor | null] => [ref, actor]));
}

/** orderId and version of the order (mostly), or another order's, or hostile ones. */
const orderInputs = (ref: OrderRef): Input[] => [
  ["orderId", fc.constant(String(ref.id)), fc.oneof(idOrHostile(world.orders.map((o) => o.id)), hostileId)],
  ["version", fc.constant(String(ref.version)), fc.oneof(fc.integer({ min: 1, max: 30 }).map(String), hostileId)],
];

const checkbox = fc.constantFrom("on", "true", "1");
const withEntries = <T,>(who: fc.Arbitrary<T>, entries: (t: T) => fc.Arbitrary<Entry[]>, actorOf: (t: T) => Actor | null) =>
  who.chain((t) => entries(t).map((e): [Actor | null, Entry[]] => [actorOf(t), e]));

async function actionCases(): Promise<Record<string, ActionCase>> {
  const ordersMod = await import("@/app/(app)/orders/actions");
  const rulesMod = await import("@/app/(app)/admin/rules/actions");
  const inboxMod = await import("@/app/(app)/inbox/actions");
  const usersMod = await import("@/app/(app)/admin/users/actions");
  const storesMod = await import("@/app/(app)/admin/stores/actions");
  const calendarsMod = await import("@/app/(app)/admin/calendars/actions");
  const capacityMod = await import("@/app/(app)/admin/capacity/actions");
  const failReasonsMod = await import("@/app/(app)/admin/fail-reasons/actions");
  const failReasonId = fc.constantFrom(...Object.values(seededFailReasons).map(String));
  const accountMod = await import("@/app/(app)/account/actions");
  const keysMod = await import("@/app/(app)/admin/api-keys/actions");
  const webhooksMod = await import("@/app/(app)/admin/webhooks/actions");
  const exportsMod = await import("@/app/(app)/kpi/exports/actions");
  const allControls = controlNames();
  const managers = () => signedInActors().filter((a) => a.roles.includes("storeManager"));
  const forOrder = (action: OrderAction, inputs: (ref: OrderRef) => Input[]) => () =>
    withEntries(orderAndActor(action), ([ref]) => formEntries(inputs(ref)), ([, actor]) => actor);
  const goodFile = fileSpec.filter((f) => f.kind === "pdf" || f.kind === "png");
  // Accounts and stores: administrators mostly (their commands write), anyone now and then.
  const byAdmins = (inputs: () => Input[]) => () =>
    withEntries(mostly(signedInActors().filter((a) => a.roles.includes("admin"))), () => formEntries(inputs()), (actor) => actor);
  const accountId = (): Input => ["accountId", fc.constantFrom(...world.accounts.map((a) => String(a.id))), fc.oneof(idOrHostile(world.accounts.map((a) => a.id)), hostileId)];
  const storeId = (): Input => ["storeId", fc.constantFrom(...world.allStores.map((s) => String(s.id))), fc.oneof(idOrHostile(world.allStores.map((s) => s.id)), hostileId)];
  const roles = (): Input => ["roles", group(fc.subarray([...roleKeys], { minLength: 1, maxLength: 3 })), fc.oneof(fc.constantFrom("Admin", "admin ", "root", "storemanager"), hostileText, fileSpec)];
  const storeIds = (): Input => ["storeIds", group(fc.subarray(world.allStores.map((s) => String(s.id)), { minLength: 1 })), fc.oneof(hostileId, fileSpec)];
  /** Typed, or generated: the checkbox ticked or not, and a password typed either way. */
  const passwordChoice = (): Input[] => [
    ["generatePassword", group(fc.subarray(["on"])), fc.oneof(checkbox, hostileText)],
    ["password", password, badPassword],
  ];
  const timeZone = (): Input => ["timeZone", fc.constantFrom(...timeZones), fc.oneof({ weight: 2, arbitrary: otherZone }, { weight: 3, arbitrary: hostileText }, { weight: 1, arbitrary: fileSpec })];
  /** The password the command stored a hash of: generated, or the one typed. */
  const chosenPassword = ({ result, input }: { result: object; input: unknown }) =>
    (result as { generatedPassword?: string }).generatedPassword ?? (input as { password: string }).password;
  const endpointId = (): Input => ["endpointId", fc.constantFrom(...world.endpoints).map(String), fc.oneof(idOrHostile(world.endpoints), hostileId)];
  // The rule form (the rules page): every input it has, as its selects and checkboxes send them.
  const ruleId = (): Input => ["ruleId", fc.constantFrom(...world.rules).map(String), fc.oneof(idOrHostile(world.rules), hostileId)];
  const ruleForm = (): Input[] => [
    ["name", words(3, 80), badName(words(3, 80))],
    ["enabled", group(fc.subarray(["on"]))],
    ["triggerType", fc.constantFrom(...triggerTypes)],
    ["triggerStages", group(fc.subarray([...stageKeys], { maxLength: 3 })), fc.oneof(fc.constantFrom("storeorder", "stage"), hostileText)],
    ["triggerField", fc.constantFrom(...fieldDefs.map((f) => f.key))],
    ["triggerValue", fc.oneof(words(1, 40), fc.constantFrom("notFeasible", "fail", "damaged", "Courier", " Own fleet ", "NOT FEASIBLE"))],
    ["triggerResult", fc.constantFrom("", "pass", "fail")],
    ["triggerEvent", fc.constantFrom("", ...orderEvents)],
    ["recipients", group(fc.subarray([...recipientTokens], { minLength: 1, maxLength: 3 })), fc.oneof(fc.constantFrom("role:nobody", "role:", "everyone"), hostileText, fileSpec)],
    ["message", words(5, 300), badName(words(5, 300))],
    ["priority", fc.constantFrom(...priorities)],
  ];
  /** A comment as people write them, mentioning someone now and then (someone who may not read the order, or no one at all). */
  const commentBody = fc
    .tuple(words(1, 200), fc.option(fc.constantFrom("@Dana", "@Nora", "@Sam", "@pat", "@store.south", "@admin", "@Nobody", "@dana.", "email@Dana"), { nil: "" }))
    .map(([text, mention]) => `${mention} ${text}`.trim());
  return {
    createOrderAction: {
      action: ordersMod.createOrderAction,
      inputs: ["storeId", "productSpecifications", "orderQuantity", "requiredDeliveryDate", "attachments", "uploads", "submissionToken"],
      runs: 320,
      cases: () =>
        withEntries(
          fc.oneof(
            { weight: 3, arbitrary: fc.constantFrom(...managers()).map((m): [Actor | null, number] => [m, m.storeIds[0]]) },
            { weight: 1, arbitrary: fc.tuple(actorArb, fc.constantFrom(...world.stores)) },
          ),
          ([, store]) =>
            formEntries([
              ["storeId", fc.constant(String(store)), fc.oneof(idOrHostile(world.stores), hostileId)],
              ["productSpecifications", validControl.productSpecifications],
              ["orderQuantity", validControl.orderQuantity],
              ["requiredDeliveryDate", validControl.requiredDeliveryDate],
              ["attachments", goodFile, fc.oneof(fileSpec, hostileText)],
              // Uploads straight to storage: none, or ids that are not this account's uploads.
              ["uploads", fc.constant(""), fc.oneof(fc.uuid(), hostileText)],
              ["submissionToken", fc.uuid()],
            ]),
          ([actor]) => actor,
        ),
    },
    saveStageAction: {
      action: ordersMod.saveStageAction,
      // The stage form shows a field's messages under the field (`field`) and its parts (`field.part`).
      inputs: ["orderId", "version", "stage", "intent", "confirmOpenTodos", "confirmLateEstimate", "confirmOverload", "productionSchedule.confirmOverload", "editable", "photos", ...allControls, ...allControls.map((c) => c.split(".")[0])],
      runs: 420,
      cases: forOrder("toggleTodo", (ref) => [
        ...orderInputs(ref),
        ["stage", fc.constant(ref.stage), fc.oneof(fc.constantFrom(...stageKeys), hostileText)],
        ["intent", fc.constantFrom("save", "complete")],
        ["confirmOpenTodos", checkbox],
        ["confirmLateEstimate", checkbox],
        ["confirmOverload", checkbox],
        [
          "editable",
          fc.subarray(stageDef(ref.stage).fields.map((f) => f.key)).map((keys) => keys.join(",")),
          fc.oneof(fc.subarray(allControls.map((c) => c.split(".")[0])).map((keys) => keys.join(",")), hostileText),
        ],
        ...controlNames(ref.stage).map((name): Input => [name, validControl[name]]),
        ...controlNames()
          .filter((n) => !controlNames(ref.stage).includes(n))
          .slice(0, 3)
          .map((name): Input => [name, validControl[name]]),
      ]),
    },
    toggleTodoAction: {
      action: ordersMod.toggleTodoAction,
      inputs: ["orderId", "version", "todo", "done"],
      runs: 200,
      cases: forOrder("toggleTodo", (ref) => [
        ...orderInputs(ref),
        ["todo", fc.constantFrom(...stageDef(ref.stage).todos.map((t) => todoKey(ref.stage, t.key))), fc.oneof(anyTodo, hostileText)],
        ["done", checkbox],
      ]),
    },
    recordInspectionAction: {
      action: ordersMod.recordInspectionAction,
      inputs: ["orderId", "version", "qualityCheckResults", "failReasons", "failReasonNote"],
      runs: 200,
      cases: forOrder("recordInspection", (ref) => [
        ...orderInputs(ref),
        ["qualityCheckResults.result", validControl["qualityCheckResults.result"]],
        ["qualityCheckResults.notes", validControl["qualityCheckResults.notes"]],
        ["failReasons", failReasonId, fc.oneof(idOrHostile(Object.values(seededFailReasons)), hostileId)],
        ["failReasons", failReasonId, hostileText],
        ["failReasonNote", words(1, 40), hostileText],
      ]),
    },
    addAttachmentsAction: {
      action: ordersMod.addAttachmentsAction,
      inputs: ["orderId", "version", "attachments", "uploads"],
      runs: 200,
      cases: forOrder("addAttachment", (ref) => [
        ...orderInputs(ref),
        ["attachments", goodFile, fc.oneof(fileSpec, hostileText)],
        ["attachments", goodFile, fileSpec],
        ["uploads", fc.constant(""), fc.oneof(fc.uuid(), hostileText)],
      ]),
    },
    reviseOrderAction: {
      action: ordersMod.reviseOrderAction,
      inputs: ["orderId", "version"],
      runs: 140,
      cases: forOrder("reviseOrder", orderInputs),
    },
    cancelOrderAction: {
      action: ordersMod.cancelOrderAction,
      inputs: ["orderId", "version", "reason"],
      runs: 200,
      cases: forOrder("cancelOrder", (ref) => [...orderInputs(ref), ["reason", words(3, 200)]]),
    },
    updateRuleAction: {
      action: rulesMod.updateRuleAction,
      inputs: ["ruleId", ...ruleInputs],
      runs: 120,
      cases: byAdmins(() => [ruleId(), ...ruleForm()]),
      stored: async (tx, { result }) => expectRuleValid(tx, (result as { rule: { id: number } }).rule.id),
    },
    createRuleAction: {
      action: rulesMod.createRuleAction,
      inputs: ruleInputs,
      runs: 80,
      cases: byAdmins(ruleForm),
      stored: async (tx, { result }) => expectRuleValid(tx, (result as { rule: { id: number } }).rule.id),
    },
    deleteRuleAction: {
      action: rulesMod.deleteRuleAction,
      inputs: ["ruleId", "confirmed"],
      hidden: ["confirmed"],
      runs: 60,
      cases: byAdmins(() => [ruleId(), ["confirmed", fc.constantFrom("on", ""), fc.oneof(checkbox, hostileText)]]),
      stored: async (tx, { input }) => {
        const id = Number((input as { ruleId: string }).ruleId);
        const [rule] = await tx.select({ archivedAt: automationRules.archivedAt }).from(automationRules).where(eq(automationRules.id, id));
        expect(rule?.archivedAt, "the rule is archived, kept for undo").toBeInstanceOf(Date);
      },
    },
    restoreRuleAction: {
      action: rulesMod.restoreRuleAction,
      inputs: ["ruleId"],
      runs: 60,
      cases: byAdmins(() => [ruleId()]),
      stored: async (tx, { input }) => {
        const id = Number((input as { ruleId: string }).ruleId);
        const [rule] = await tx.select({ archivedAt: automationRules.archivedAt }).from(automationRules).where(eq(automationRules.id, id));
        expect(rule?.archivedAt, "the rule is back").toBeNull();
      },
    },
    markNotificationReadAction: {
      action: inboxMod.markNotificationReadAction,
      inputs: ["notificationId"],
      runs: 140,
      cases: () =>
        withEntries(
          fc.constantFrom(...world.notifications).chain((n) => mostly(signedInActors().filter((a) => a.id === n.accountId)).map((actor) => ({ n, actor }))),
          ({ n }) => formEntries([["notificationId", fc.constant(n.id), fc.oneof(fc.uuid(), hostileText)]]),
          ({ actor }) => actor,
        ),
    },
    startKpiExportAction: {
      action: exportsMod.startKpiExportAction,
      inputs: ["period", "from", "to", "store"],
      runs: 80,
      cases: () =>
        fc.tuple(
          actorArb,
          formEntries([
            ["period", fc.constantFrom("7", "30", "90", "custom")],
            ["from", fc.integer({ min: -800, max: 0 }).map(inDays)],
            ["to", fc.integer({ min: -400, max: 30 }).map(inDays)],
            ["store", fc.oneof(fc.constant(""), fc.constantFrom(...world.stores).map(String)), fc.oneof(hostileId, hostileText)],
          ]),
        ),
    },
    markAllNotificationsReadAction: {
      action: inboxMod.markAllNotificationsReadAction,
      inputs: [],
      runs: 60,
      cases: () => fc.tuple(actorArb, formEntries([])),
    },
    createAccountAction: {
      action: usersMod.createAccountAction,
      inputs: ["name", "email", "roles", "storeIds", "generatePassword", "password"],
      runs: 80, // each accepted form hashes a password (argon2)
      cases: byAdmins(() => [["name", personName, badName(personName)], ["email", emailOf(world.accounts.map((a) => a.email))], roles(), storeIds(), ...passwordChoice()]),
      stored: async (tx, success) => {
        const { account } = success.result as { account: { email: string } };
        expect(account.email).toBe((success.input as { email: string }).email);
        await expectAccountsValid(tx, [chosenPassword(success)]);
      },
    },
    updateAccountAction: {
      action: usersMod.updateAccountAction,
      inputs: ["accountId", "name", "roles", "storeIds"],
      hidden: ["accountId"],
      runs: 120,
      cases: byAdmins(() => [accountId(), ["name", personName, badName(personName)], roles(), storeIds()]),
      stored: async (tx, { input }) => {
        const { accountId: id, roles: wanted, storeIds: ids } = input as { accountId: number; roles: string[]; storeIds: number[] };
        const [row] = await tx.select({ roles: accounts.roles }).from(accounts).where(eq(accounts.id, id));
        expect([...row.roles].sort()).toEqual([...wanted].sort());
        const members = await tx.select({ storeId: storeMembers.storeId }).from(storeMembers).where(eq(storeMembers.accountId, id));
        expect(members.map((m) => m.storeId).sort()).toEqual([...ids].sort());
        await expectAccountsValid(tx);
      },
    },
    setAccountActiveAction: {
      action: usersMod.setAccountActiveAction,
      inputs: ["accountId", "active", "confirmed"],
      hidden: ["accountId", "active", "confirmed"],
      runs: 80,
      cases: byAdmins(() => [accountId(), ["active", fc.constantFrom("true", "false")], ["confirmed", fc.constantFrom("on", ""), fc.oneof(checkbox, hostileText)]]),
      stored: async (tx) => expectAccountsValid(tx),
    },
    unlockSignInAction: {
      action: usersMod.unlockSignInAction,
      inputs: ["accountId"],
      hidden: ["accountId"],
      runs: 60,
      cases: byAdmins(() => [accountId()]),
      stored: async (tx, { input }) => {
        const [{ email }] = await tx.select({ email: accounts.email }).from(accounts).where(eq(accounts.id, (input as { accountId: number }).accountId));
        expect((await emailThrottleState(tx, email, new Date())).active, "nothing holds the account back").toBe(false);
        await expectAccountsValid(tx);
      },
    },
    resetPasswordAction: {
      action: usersMod.resetPasswordAction,
      inputs: ["accountId", "generatePassword", "password"],
      hidden: ["accountId"],
      runs: 60, // each form past the schema hashes a password (argon2)
      cases: byAdmins(() => [accountId(), ...passwordChoice()]),
      stored: async (tx, success) => expectAccountsValid(tx, [chosenPassword(success)]),
    },
    createStoreAction: {
      action: storesMod.createStoreAction,
      inputs: ["code", "name", "timeZone"],
      runs: 120,
      cases: byAdmins(() => [["code", storeCodeOf(world.allStores.map((s) => s.code))], ["name", storeName, badName(storeName)], timeZone()]),
      stored: async (tx) => expectStoresValid(tx),
    },
    updateStoreAction: {
      action: storesMod.updateStoreAction,
      inputs: ["storeId", "name", "timeZone"],
      hidden: ["storeId"],
      runs: 100,
      cases: byAdmins(() => [storeId(), ["name", storeName, badName(storeName)], timeZone()]),
      stored: async (tx) => expectStoresValid(tx),
    },
    archiveStoreAction: {
      action: storesMod.archiveStoreAction,
      inputs: ["storeId", "archived", "confirmed"],
      hidden: ["storeId", "archived", "confirmed"],
      runs: 60,
      cases: byAdmins(() => [storeId(), ["archived", fc.constantFrom("true", "false")], ["confirmed", fc.constantFrom("on", ""), fc.oneof(checkbox, hostileText)]]),
      stored: async (tx) => expectStoresValid(tx),
    },
    createFailReasonAction: {
      action: failReasonsMod.createFailReasonAction,
      inputs: ["label", "needsNote"],
      runs: 60,
      cases: byAdmins(() => [["label", words(1, 60), badName(words(1, 60))], ["needsNote", checkbox, hostileText]]),
      stored: async (tx) => expectFailReasonsValid(tx),
    },
    updateFailReasonAction: {
      action: failReasonsMod.updateFailReasonAction,
      inputs: ["reasonId", "label", "needsNote"],
      hidden: ["reasonId"],
      runs: 60,
      cases: byAdmins(() => [["reasonId", failReasonId, fc.oneof(idOrHostile(Object.values(seededFailReasons)), hostileId)], ["label", words(1, 60), badName(words(1, 60))], ["needsNote", checkbox, hostileText]]),
      stored: async (tx) => expectFailReasonsValid(tx),
    },
    archiveFailReasonAction: {
      action: failReasonsMod.archiveFailReasonAction,
      inputs: ["reasonId", "archived"],
      hidden: ["reasonId", "archived"],
      runs: 40,
      cases: byAdmins(() => [["reasonId", failReasonId, fc.oneof(idOrHostile(Object.values(seededFailReasons)), hostileId)], ["archived", fc.constantFrom("true", "false")]]),
      stored: async (tx) => expectFailReasonsValid(tx),
    },
    saveCalendarAction: {
      action: calendarsMod.saveCalendarAction,
      inputs: ["storeId", ...calendarDays.flatMap((d) => [`${d}.open`, `${d}.close`]), "holidays"],
      hidden: ["storeId"],
      runs: 100,
      cases: byAdmins(() => [
        ["storeId", fc.oneof(fc.constant(""), fc.constantFrom(...world.allStores.map((s) => String(s.id)))), fc.oneof(idOrHostile(world.allStores.map((s) => s.id)), hostileId)],
        ...calendarDays.flatMap((d): Input[] => [
          // A working day (a day off is both left empty: one broken input of the pair below).
          [`${d}.open`, fc.constantFrom("07:30", "08:00", "09:00"), fc.oneof(fc.constantFrom("", "24:00", "8", "25:00", "08:60", "17:00"), hostileText)],
          [`${d}.close`, fc.constantFrom("16:00", "17:00", "24:00"), fc.oneof(fc.constantFrom("", "00:00", "7:00", "24:01", "08:00"), hostileText)],
        ]),
        ["holidays", fc.array(fc.integer({ min: -30, max: 400 }).map(inDays), { maxLength: 6 }).map((days) => days.join("\n")), fc.oneof(fc.constantFrom("24.12.2026", "2026-02-30", "2026-12-24,,x"), hostileText)],
      ]),
      stored: async (tx) => expectCalendarsValid(tx),
    },
    setCapacityAction: {
      action: capacityMod.setCapacityAction,
      inputs: ["effectiveFrom", "unitsPerDay"],
      runs: 60,
      cases: byAdmins(() => [
        ["effectiveFrom", fc.integer({ min: -30, max: 400 }).map(inDays), fc.oneof(fc.constantFrom("2027-02-30", "1.3.2027", "", "1999-12-31"), hostileText)],
        ["unitsPerDay", fc.integer({ min: 0, max: 500 }).map(String), fc.oneof(fc.constantFrom("-1", "2.5", "1e3", "", "10000001"), hostileText)],
      ]),
      stored: async (tx) => expectCapacityValid(tx),
    },
    removeCapacityAction: {
      action: capacityMod.removeCapacityAction,
      inputs: ["effectiveFrom"],
      runs: 30,
      cases: byAdmins(() => [["effectiveFrom", fc.constantFrom(inDays(0), inDays(30)), fc.oneof(fc.constantFrom("2027-02-30", ""), hostileText)]]),
      stored: async (tx) => expectCapacityValid(tx),
    },
    changeOwnPasswordAction: {
      action: accountMod.changeOwnPasswordAction,
      refusalWrites: passwordCheckWrites,
      // `username` is the form's read-only copy of the email, for password managers.
      inputs: ["username", "currentPassword", "newPassword", "confirmPassword"],
      runs: 70, // each form past the schema verifies a password, and an accepted one hashes one (argon2)
      cases: () =>
        withEntries(
          fc.tuple(mostly(signedInActors()), password),
          ([actor, chosen]) =>
            formEntries([
              ["username", fc.constant(actor?.email ?? "")],
              ["currentPassword", fc.constant(DEMO_PASSWORD), badPassword],
              ["newPassword", fc.constant(chosen), badPassword],
              ["confirmPassword", fc.constant(chosen), fc.oneof(password, badPassword)],
            ]),
          ([actor]) => actor,
        ),
      stored: async (tx, { input }, actor) => {
        const { newPassword } = input as { newPassword: string };
        const [row] = await tx.select({ sessionVersion: accounts.sessionVersion }).from(accounts).where(eq(accounts.id, actor.id));
        expect(row.sessionVersion, "every session ends").toBeGreaterThan(1);
        await expectAccountsValid(tx, [newPassword]);
      },
    },
    setOwnTimeZoneAction: {
      action: accountMod.setOwnTimeZoneAction,
      inputs: ["timeZone"],
      runs: 80,
      cases: () => withEntries(mostly(signedInActors()), () => formEntries([timeZone()]), (actor) => actor),
      stored: async (tx, { input }, actor) => {
        const [row] = await tx.select({ timeZone: accounts.timeZone }).from(accounts).where(eq(accounts.id, actor.id));
        expect(row.timeZone).toBe((input as { timeZone: string }).timeZone);
        await expectAccountsValid(tx);
      },
    },
    signOutEverywhereAction: {
      action: accountMod.signOutEverywhereAction,
      inputs: [],
      runs: 40,
      // The export signs this browser out too (Auth.js's signOut needs a request); what it runs
      // first is an unexported validatedAction(noInputSchema, (_input, ctx) => signOutEverywhere(ctx)).
      definition: { schema: noInputSchema, handler: (_input, ctx) => signOutEverywhere(ctx) },
      cases: () => fc.tuple(actorArb, formEntries([])),
      stored: async (tx, _success, actor) => {
        const [row] = await tx.select({ sessionVersion: accounts.sessionVersion }).from(accounts).where(eq(accounts.id, actor.id));
        expect(row.sessionVersion, "every session ends").toBeGreaterThan(1);
        await expectAccountsValid(tx);
      },
    },
    saveNotificationPreferencesAction: {
      action: accountMod.saveNotificationPreferencesAction,
      inputs: ["digestHour", "mode"],
      runs: 80,
      cases: () =>
        withEntries(
          fc.tuple(mostly(signedInActors()), fc.subarray(["mention", ...world.rules.map((id) => `rule:${id}`)], { maxLength: 4 })),
          ([, topics]) =>
            formEntries([
              ["digestHour", fc.integer({ min: 0, max: 23 }).map(String), fc.oneof(fc.constantFrom("24", "-1", "7.5", "0x10", "1e1", ""), hostileText, fileSpec)],
              ...topics.map((topic): Input => [`mode.${topic}`, fc.constantFrom("immediate", "digest", "none")]),
              ["mode.rule:2147483647", fc.constantFrom("digest", "none")],
            ]),
          ([actor]) => actor,
        ),
      stored: async (tx, { input }, actor) => {
        const [row] = await tx.select({ digestHour: accounts.digestHour }).from(accounts).where(eq(accounts.id, actor.id));
        expect(row.digestHour === (input as { digestHour: number }).digestHour, `digest hour ${row.digestHour} as chosen`).toBe(true); // -0 is stored as 0
        expect(Number.isInteger(row.digestHour) && row.digestHour >= 0 && row.digestHour <= 23, `digest hour ${row.digestHour}`).toBe(true);
        const topics = new Set(["mention", ...world.rules.map((id) => `rule:${id}`)]);
        for (const p of await tx.select().from(notificationPreferences)) expect(topics.has(p.topic), `preference topic ${p.topic}`).toBe(true);
      },
    },
    addCommentAction: {
      action: ordersMod.addCommentAction,
      inputs: ["orderId", "body"],
      runs: 100,
      cases: forOrder("comment", (ref) => [orderInputs(ref)[0], ["body", commentBody, badName(commentBody)]]),
    },
    editCommentAction: {
      action: ordersMod.editCommentAction,
      inputs: ["commentId", "body"],
      hidden: ["commentId"],
      runs: 80,
      cases: () =>
        withEntries(
          fc.constantFrom(...world.comments).chain((c) => mostly(signedInActors().filter((a) => a.id === c.authorId)).map((actor) => ({ c, actor }))),
          ({ c }) =>
            formEntries([
              ["commentId", fc.constant(String(c.id)), fc.oneof(idOrHostile(world.comments.map((x) => x.id)), hostileId)],
              ["body", commentBody, badName(commentBody)],
            ]),
          ({ actor }) => actor,
        ),
      stored: async (tx, { result }) => expectStoredValid(tx, (result as { comment: { orderId: number } }).comment.orderId),
    },
    assignStageAction: {
      action: ordersMod.assignStageAction,
      // Claim and let go send accountId hidden ("me", ""); assigning picks it from a select.
      inputs: ["orderId", "version", "accountId"],
      runs: 100,
      cases: forOrder("claim", (ref) => [
        ...orderInputs(ref),
        [
          "accountId",
          fc.oneof({ weight: 3, arbitrary: fc.constant("me") }, { weight: 1, arbitrary: fc.constant("") }, { weight: 2, arbitrary: fc.constantFrom(...world.accounts.map((a) => String(a.id))) }),
          fc.oneof(hostileId, fc.constantFrom("ME", "me ", "null")),
        ],
      ]),
    },
    proposeAlternativeAction: {
      action: ordersMod.proposeAlternativeAction,
      inputs: ["orderId", "version", "requiredDeliveryDate", "orderQuantity", "note"],
      runs: 80,
      cases: forOrder("proposeAlternative", (ref) => [
        ...orderInputs(ref),
        ["requiredDeliveryDate", fc.oneof({ weight: 4, arbitrary: validControl.requiredDeliveryDate }, { weight: 1, arbitrary: fc.constant("") })],
        ["orderQuantity", fc.oneof({ weight: 4, arbitrary: validControl.orderQuantity }, { weight: 1, arbitrary: fc.constant("") })],
        ["note", words(0, 200)],
      ]),
    },
    acceptProposalAction: {
      action: ordersMod.acceptProposalAction,
      inputs: ["orderId", "version"],
      runs: 60,
      cases: forOrder("acceptProposal", orderInputs),
    },
    readyForReinspectionAction: {
      action: ordersMod.readyForReinspectionAction,
      inputs: ["orderId", "version", "note"],
      runs: 60,
      cases: forOrder("markReadyForReinspection", (ref) => [...orderInputs(ref), ["note", words(0, 200), badName(words(0, 200))]]),
    },
    createApiKeyAction: {
      action: keysMod.createApiKeyAction,
      inputs: ["accountId", "name", "expiresOn"],
      runs: 80,
      cases: byAdmins(() => [accountId(), ["name", words(1, 6), badName(words(1, 3))], ["expiresOn", fc.oneof(fc.constant(""), fc.integer({ min: 0, max: 400 }).map(inDays)), fc.oneof(fc.integer({ min: -400, max: -1 }).map(inDays), hostileText, fileSpec)]]),
      stored: async (tx) => expectApiKeysValid(tx),
    },
    revokeApiKeyAction: {
      action: keysMod.revokeApiKeyAction,
      inputs: ["keyId"],
      hidden: ["keyId"],
      runs: 50,
      cases: byAdmins(() => [["keyId", fc.constantFrom(...world.keyIds).map(String), fc.oneof(idOrHostile(world.keyIds), hostileId)]]),
      stored: async (tx) => expectApiKeysValid(tx),
    },
    createWebhookAction: {
      action: webhooksMod.createWebhookAction,
      inputs: ["url", "description", "events", "storeId"],
      runs: 100,
      cases: byAdmins(() => [
        ["url", webhookUrl, fc.oneof(internalUrl, hostileText, fileSpec)],
        ["description", fc.oneof(fc.constant(""), words(1, 8)), hostileText],
        ["events", group(fc.subarray([...webhookEventKeys], { minLength: 1 })), fc.oneof(fc.constantFrom("order.deleted", "ORDER.CREATED", ""), hostileText)],
        storeId(),
      ]),
      stored: async (tx) => expectEndpointsValid(tx),
    },
    updateWebhookAction: {
      action: webhooksMod.updateWebhookAction,
      inputs: ["endpointId", "url", "description", "events", "storeId", "enabled"],
      hidden: ["endpointId"],
      runs: 100,
      cases: byAdmins(() => [
        endpointId(),
        ["url", webhookUrl, fc.oneof(internalUrl, hostileText, fileSpec)],
        ["description", fc.oneof(fc.constant(""), words(1, 8)), hostileText],
        ["events", group(fc.subarray([...webhookEventKeys], { minLength: 1 })), fc.oneof(fc.constantFrom("order.deleted", ""), hostileText)],
        storeId(),
        ["enabled", group(fc.subarray(["on"])), hostileText],
      ]),
      stored: async (tx) => expectEndpointsValid(tx),
    },
    rotateWebhookSecretAction: {
      action: webhooksMod.rotateWebhookSecretAction,
      inputs: ["endpointId"],
      hidden: ["endpointId"],
      runs: 40,
      cases: byAdmins(() => [endpointId()]),
      stored: async (tx) => expectEndpointsValid(tx),
    },
    sendTestEventAction: {
      action: webhooksMod.sendTestEventAction,
      inputs: ["endpointId"],
      hidden: ["endpointId"],
      runs: 40,
      cases: byAdmins(() => [endpointId()]),
      stored: async (tx) => expectEndpointsValid(tx),
    },
    resendDeliveryAction: {
      action: webhooksMod.resendDeliveryAction,
      inputs: ["endpointId", "deliveryId"],
      hidden: ["endpointId", "deliveryId"],
      runs: 50,
      cases: byAdmins(() => [endpointId(), ["deliveryId", fc.constantFrom(...world.deliveries), fc.oneof(fc.uuid(), hostileText, hostileId)]]),
      stored: async (tx) => expectEndpointsValid(tx),
    },
    requestReplacementAction: {
      action: ordersMod.requestReplacementAction,
      inputs: ["orderId", "version", "productSpecifications", "orderQuantity", "requiredDeliveryDate"],
      runs: 60,
      cases: forOrder("requestReplacement", (ref) => [
        ...orderInputs(ref),
        ["productSpecifications", validControl.productSpecifications],
        ["orderQuantity", validControl.orderQuantity],
        ["requiredDeliveryDate", validControl.requiredDeliveryDate],
      ]),
    },
    markOrderReadAction: {
      action: inboxMod.markOrderReadAction,
      inputs: ["orderId"],
      runs: 60,
      cases: () => withEntries(mostly(signedInActors()), () => formEntries([["orderId", fc.constantFrom(...world.orders.map((o) => String(o.id))), hostileId]]), (actor) => actor),
    },
  };
}

/** The actions the property below drives, in this order: every key of actionCases(). */
const drivenActions = [
  "createOrderAction",
  "saveStageAction",
  "toggleTodoAction",
  "recordInspectionAction",
  "addAttachmentsAction",
  "reviseOrderAction",
  "cancelOrderAction",
  "updateRuleAction",
  "createRuleAction",
  "deleteRuleAction",
  "restoreRuleAction",
  "markNotificationReadAction",
  "startKpiExportAction",
  "markAllNotificationsReadAction",
  "createAccountAction",
  "updateAccountAction",
  "setAccountActiveAction",
  "unlockSignInAction",
  "resetPasswordAction",
  "createStoreAction",
  "updateStoreAction",
  "archiveStoreAction",
  "createFailReasonAction",
  "updateFailReasonAction",
  "archiveFailReasonAction",
  "saveCalendarAction",
  "setCapacityAction",
  "removeCapacityAction",
  "changeOwnPasswordAction",
  "setOwnTimeZoneAction",
  "signOutEverywhereAction",
  "saveNotificationPreferencesAction",
  "addCommentAction",
  "editCommentAction",
  "assignStageAction",
  "proposeAlternativeAction",
  "acceptProposalAction",
  "readyForReinspectionAction",
  "createApiKeyAction",
  "revokeApiKeyAction",
  "createWebhookAction",
  "updateWebhookAction",
  "rotateWebhookSecretAction",
  "sendTestEventAction",
  "resendDeliveryAction",
  "requestReplacementAction",
  "markOrderReadAction",
];

/** The rule form's inputs (the rules page). */
const ruleInputs = ["name", "enabled", "triggerType", "triggerStages", "triggerField", "triggerValue", "triggerResult", "triggerEvent", "recipients", "message", "priority"];

/** Server actions not driven here, and why. Every other export of a "use server" file must be. */
const notFuzzed: Record<string, string> = {
  signInAction: "Auth.js's signIn needs a request; its input (signInSchema, verifyCredentials) is fuzzed below",
  signOutAction: "takes no input",
};

/** Every exported server action: the exports of each "use server" file under app/. */
function serverActionExports(): string[] {
  const names: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name)) {
        const source = readFileSync(full, "utf8");
        if (!/^\s*["']use server["']/.test(source)) continue;
        for (const m of source.matchAll(/^export\s+(?:const|async\s+function|function)\s+(\w+)/gm)) names.push(m[1]);
      }
    }
  };
  walk(path.resolve(import.meta.dirname, "../app"));
  return names.sort();
}

// --- The world -----------------------------------------------------------------------------

beforeAll(async () => {
  vi.stubEnv("CRON_SECRET", "fuzz-cron-secret-0123456789abcdef");
  conn = await testDatabase();
  const seeded = await seedActors(conn.db);
  actors = [...Object.values(seeded.actors), null];
  actorArb = fc.constantFrom(...actors);
  const { north, south } = seeded.storeIds;
  const as = (email: string) => ({ db: conn.db, actor: seeded.actors[email] });

  // Orders in every stage and state, in both stores.
  const made = [];
  for (const to of [...stageKeys, "completed"] as const) made.push(await orderIn(conn.db, { storeCode: "north", to }));
  // Goods received damaged, which the store may ask to replace.
  made.push(await orderIn(conn.db, { storeCode: "north", to: "completed", received: "damaged" }));
  made.push(await orderIn(conn.db, { storeCode: "south", to: "storeOrder" }), await orderIn(conn.db, { storeCode: "south", to: "inProduction" }));
  for (const storeCode of ["north", "south"] as const) {
    const order = await orderIn(conn.db, { storeCode, to: "dispatchReceiving" });
    const saved = await saveFields(as("dispatch@example.com"), { orderId: order.id, version: order.version, values: { orderFeasibility: { decision: "notFeasible", reason: "No capacity this month" } } });
    if (!saved.ok) throw new Error("world: not feasible");
    const held = await completeStage(as("dispatch@example.com"), { orderId: order.id, version: saved.order.version, confirmOpenTodos: true });
    if (!held.ok) throw new Error("world: on hold");
    // Dispatch proposes what it can do; the store may accept it.
    const proposed = await proposeAlternative(as("dispatch@example.com"), { orderId: order.id, version: held.order.version, requiredDeliveryDate: inDays(90), orderQuantity: "5", note: "We can make 5 by then" });
    if (!proposed.ok) throw new Error("world: proposal");
  }
  // Rework: the South order in production failed its inspection, so production may say it is ready again.
  const reworked = made.find((o) => o.storeId === south && o.stage === "inProduction")!;
  if (!(await recordInspection(as("qc@example.com"), { orderId: reworked.id, version: reworked.version, qualityCheckResults: { result: "fail", notes: "Edges rough" }, failReasons: [seededFailReasons.finish] })).ok) throw new Error("world: failed inspection");
  // A small production capacity, with a dated change: a schedule the form sends may overload a day.
  for (const [day, units] of [[inDays(0), "2"], [inDays(30), "3"]] as const) {
    if (!(await setCapacity(as("admin@example.com"), { effectiveFrom: day, unitsPerDay: units })).ok) throw new Error("world: capacity");
  }
  const toCancel = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
  await cancelOrder(as("store.north@example.com"), { orderId: toCancel.id, version: toCancel.version, reason: "Changed our mind" });
  // Comments by a store manager (mentioning dispatch) and by dispatch, just posted: still editable.
  for (const [email, order, body] of [["store.north@example.com", made[0], "@Dana can we make this sooner?"], ["dispatch@example.com", made[made.length - 1], "Checking capacity"]] as const) {
    if (!(await addComment(as(email), { orderId: order.id, body })).ok) throw new Error("world: comment");
  }
  const withFile = made[0];
  const attached = await addAttachments(as("store.north@example.com"), { orderId: withFile.id, version: withFile.version, attachments: [pdfFile()] });
  if (!attached.ok) throw new Error("world: attachment");

  const orderRows = await conn.db.select({ id: orders.id, version: orders.version, stage: orders.stage, state: orders.state, storeId: orders.storeId }).from(orders);
  const [file] = await conn.db.select({ id: attachments.id, orderId: attachments.orderId }).from(attachments);
  const notes = await conn.db.select({ id: notifications.id, accountId: notifications.accountId }).from(notifications);
  const rules = await conn.db.select({ id: automationRules.id }).from(automationRules);

  // A deactivated account and an archived store, to reactivate and restore.
  const former = await createAccount(as("admin@example.com"), { name: "Fran Former", email: "former@example.com", roles: ["productionTeam"], storeIds: [], password: "former-password-1" });
  if (!former.ok || !(await setAccountActive(as("admin@example.com"), { accountId: former.account.id, active: false, confirmed: "on" })).ok) throw new Error("world: deactivated account");
  const west = await createStore(as("admin@example.com"), { code: "west", name: "West", timeZone: "Europe/Berlin" });
  if (!west.ok || !(await archiveStore(as("admin@example.com"), { storeId: west.store.id, archived: true, confirmed: "on" })).ok) throw new Error("world: archived store");
  const accountRows = await conn.db.select({ id: accounts.id, email: accounts.email }).from(accounts);
  const storeRows = await conn.db.select({ id: stores.id, code: stores.code }).from(stores);
  const commentRows = await conn.db.select({ id: orderComments.id, authorId: orderComments.authorId }).from(orderComments);

  // API keys for every demo account (and one revoked), and webhook endpoints with a delivery each.
  const keyRows: { accountId: number; secret: string }[] = [];
  for (const actor of Object.values(seeded.actors)) {
    const made = await createApiKey(as("admin@example.com"), { accountId: actor.id, name: `Fuzz key of ${actor.name}` });
    if (!made.ok) throw new Error("world: api key");
    keyRows.push({ accountId: actor.id, secret: made.secret });
  }
  const doomed = await createApiKey(as("admin@example.com"), { accountId: seeded.actors["store.north@example.com"].id, name: "Revoked key" });
  if (!doomed.ok || !(await revokeApiKey(as("admin@example.com"), { keyId: doomed.key.id })).ok) throw new Error("world: revoked key");
  for (const storeId of [undefined, String(south)]) {
    const e = await createWebhookEndpoint(as("admin@example.com"), { url: `https://hooks.example.com/${storeId ?? "all"}`, events: [...webhookEventKeys], storeId });
    if (!e.ok) throw new Error("world: webhook endpoint");
  }
  await createOrder(as("store.south@example.com"), { storeId: south, productSpecifications: "Fuzz world webhook order", orderQuantity: 1, requiredDeliveryDate: inDays(9) });
  const endpointRows = await conn.db.select({ id: webhookEndpoints.id }).from(webhookEndpoints);
  const deliveryRows = await conn.db.select({ id: webhookDeliveries.id }).from(webhookDeliveries);
  if (!deliveryRows.length) throw new Error("world: webhook deliveries");
  const keyIdRows = await conn.db.select({ id: apiKeys.id }).from(apiKeys);

  world = {
    orders: orderRows,
    stores: [north, south],
    attachment: file,
    notifications: notes,
    rules: rules.map((r) => r.id),
    accounts: accountRows,
    allStores: storeRows,
    comments: commentRows,
    apiKeys: keyRows,
    revokedKey: doomed.secret,
    keyIds: keyIdRows.map((k) => k.id),
    endpoints: endpointRows.map((e) => e.id),
    deliveries: deliveryRows.map((d) => d.id),
  };
  expect(world.notifications.length).toBeGreaterThan(0);
  expect(new Set(orderRows.map((o) => o.state))).toEqual(new Set(["active", "onHold", "completed", "cancelled"]));

  const tables = rowsOf<{ name: string }>(await conn.db.execute(sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`));
  tableNames = tables.map((t) => t.name);
  fingerprintSql = `select ${tables.map((t) => `(select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from "${t.name}" t) as "${t.name}"`).join(", ")}`;
  // The clear-text check finds what is there, and only that.
  expect(await storedInClear(conn.db, "Fran Former")).toBe(true);
  expect(await storedInClear(conn.db, "former-password-1")).toBe(false);

  // Console and the JSON logger alike (lib/log.ts): an expected refusal writes to neither.
  logged = [vi.spyOn(console, "error"), vi.spyOn(console, "warn"), vi.spyOn(logger, "error"), vi.spyOn(logger, "warn")];
}, 300_000);

afterAll(async () => {
  for (const spy of logged ?? []) spy.mockRestore();
  vi.unstubAllEnvs();
  await conn?.close();
  console.log(`fuzz: ${cases} generated cases, seed ${SEED}${SCALE !== 1 ? `, FUZZ_RUNS=${SCALE}` : ""}`);
});

// --- The suite -----------------------------------------------------------------------------

describe(`fuzz (seed ${SEED})`, () => {
  test("every exported server action is fuzzed here or listed with a reason", async () => {
    const specs = await actionCases();
    const driven = Object.keys(specs);
    expect(serverActionExports()).toEqual([...driven, ...Object.keys(notFuzzed)].sort());
    expect(driven, "the property below drives each of them").toEqual(drivenActions);
    for (const [name, spec] of Object.entries(specs)) {
      // A wrapper's stand-in definition goes once the action registers its own.
      if (spec.definition) expect(actionDefinition(spec.action), `${name}: drive its registered definition`).toBeUndefined();
      else expect(actionDefinition(spec.action), name).toBeDefined();
    }
  });

  test.each(drivenActions)(
    "%s: for every role, any form is accepted and stored valid, or refused with a message and no change",
    async (name) => {
      const spec = (await actionCases())[name];
      const def = spec.definition ?? actionDefinition(spec.action)!;
      // Comments are editable for 10 minutes after posting; on a loaded machine the suite can
      // reach this action later than that, so the world's comments are posted again, now.
      if (name === "editCommentAction") await conn.db.update(orderComments).set({ createdAt: new Date() }).where(inArray(orderComments.id, world.comments.map((c) => c.id)));
      const placeable = new Set(spec.inputs);
      const hiddenHere = new Set([...hidden, ...(spec.hidden ?? [])]);
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(spec.cases(), async ([actor, entries]) => {
          const label = () => `${name} as ${actor?.email ?? "signed out"} with ${JSON.stringify(describeEntries(entries))}`;
          await rolledBack((tx) =>
            expectCase(
              tx,
              async () => {
                const run = await runAction(actor, def.schema, def.handler as ActionHandler<typeof def.schema, object>, toFormData(entries), { db: tx });
                if (!run.success) {
                  expectDocumentedRefusal(run.state, actor, placeable, hiddenHere, label());
                  return { refused: true };
                }
                accepted++;
                const { stored } = spec;
                const success = run.success;
                if (stored) return { refused: false, check: () => stored(tx, success, actor!) };
                const result = run.success.result as { order?: { id: number }; rule?: { message: string } };
                const input = run.success.input as { orderId?: number };
                return {
                  refused: false,
                  check: async () => {
                    const orderId = result.order?.id ?? input.orderId;
                    if (orderId) await expectStoredValid(tx, orderId);
                    if (result.rule) expectCleanText(result.rule.message, "rule message");
                  },
                };
              },
              label,
              spec.refusalWrites,
            ),
          );
        }),
        params(spec.runs),
      );
      // The generator reaches past the schema into the command: some forms go through.
      expect(accepted, `${name}: accepted cases`).toBeGreaterThan(runs(spec.runs) / 10);
      console.info(`fuzz: ${name} accepted ${accepted} of ${runs(spec.runs)}`);
    },
    300_000,
  );

  test("every exported action called with arguments of another shape refuses them: no throw, no session read, no change", async () => {
    const modules = await Promise.all([
      import("@/app/(app)/orders/actions"),
      import("@/app/(app)/inbox/actions"),
      import("@/app/(app)/admin/rules/actions"),
      import("@/app/(app)/admin/users/actions"),
      import("@/app/(app)/admin/stores/actions"),
      import("@/app/(app)/admin/calendars/actions"),
      import("@/app/(app)/admin/capacity/actions"),
      import("@/app/(app)/admin/fail-reasons/actions"),
      import("@/app/(app)/account/actions"),
      import("@/app/(app)/admin/api-keys/actions"),
      import("@/app/(app)/admin/webhooks/actions"),
      import("@/app/(app)/kpi/exports/actions"),
    ]);
    // Not here: signInAction (next-auth does not load outside Next; it has the same guard) and signOutAction (no input).
    const exported = modules.flatMap((m) => Object.entries(m)).filter(([name]) => name !== "signOutAction") as [string, (...args: unknown[]) => Promise<unknown>][];
    expect(exported.map(([name]) => name).sort()).toEqual(serverActionExports().filter((n) => !(n in notFuzzed)));
    const shapes: unknown[][] = [[], [undefined], [42], ["orderId=1"], [{ orderId: 1 }], [undefined, { orderId: "1", version: "1" }], [null, null], [undefined, "x", new FormData()], [[new FormData()]]];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...exported), fc.constantFrom(...shapes), async ([name, action], args) => {
        const before = await fingerprint(conn.db);
        const logs = logCount();
        let answer: unknown;
        // Outside a request: reaching for the session or the framework would throw here.
        await expect((async () => (answer = await action(...args)))(), `${name}(${args.map((a) => typeof a).join(", ")})`).resolves.not.toThrow();
        if (answer !== undefined) expect(answer, name).toMatchObject({ ok: false, formError: expect.stringContaining("not a form") });
        expect(await fingerprint(conn.db)).toEqual(before);
        expect(logCount()).toBe(logs);
        cases++;
      }),
      params(120),
    );
  }, 300_000);

  test("commands given values of any type refuse them without throwing", async () => {
    const commands = {
      ...{ createOrder, saveFields, toggleTodo, recordInspection, addAttachments, reviseOrder, cancelOrder, completeStage, updateRule, markNotificationRead, prepareUpload, startKpiExport },
      ...{ createAccount, updateAccount, setAccountActive, unlockSignIn, resetPassword, changeOwnPassword, setOwnTimeZone, createStore, updateStore, archiveStore },
      ...{ createFailReason, updateFailReason, archiveFailReason },
    } as Record<
      string,
      (ctx: { db: Db; actor: Actor }, input: never) => Promise<{ ok: boolean }>
    >;
    const signedIn = actors.filter((a): a is Actor => a !== null);
    const keys = ["orderId", "version", "values", "storeId", "attachments", "uploads", "filename", "size", "period", "from", "to", "store", "reason", "ruleId", "todo", "qualityCheckResults", "notificationId"];
    const accountKeys = ["accountId", "name", "email", "roles", "storeIds", "password", "generatePassword", "active", "currentPassword", "newPassword", "confirmPassword", "timeZone", "code", "archived", "reasonId", "label", "needsNote", "failReasons", "failReasonNote"];
    const junk = fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom(...keys, ...accountKeys), fc.anything()));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(commands)), fc.constantFrom(...signedIn), junk, async (name, actor, input) => {
        await rolledBack((tx) =>
          expectCase(
            tx,
            async () => {
              const result = await commands[name]({ db: tx, actor }, input as never);
              return { refused: !result.ok };
            },
            () => `${name}(${fc.stringify(input)}) as ${actor.email}`,
            name === "changeOwnPassword" ? passwordCheckWrites : [],
          ),
        );
      }),
      params(300),
    );
  }, 300_000);

  test("sign-in: any email and password is an answer, never a throw", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.anything(), fc.record({ email: orHostile(fc.constantFrom("admin@example.com", "store.north@example.com")), password: orHostile(fc.constant("makeline-demo")) })), async (input) => {
        const logsBefore = logCount();
        const account = await verifyCredentials(conn.db, input);
        cases++;
        expect(account === null || typeof account.id === "string").toBe(true);
        expect(logCount()).toBe(logsBefore);
      }),
      params(60),
    );
  }, 300_000);

  test("sign-in attempts: any input is an outcome in one log line, never a throw (a NUL in the email included)", async () => {
    const input = fc.oneof(
      fc.anything(),
      fc.record({ email: orHostile(fc.constantFrom("admin@example.com", "store.north@example.com")), password: orHostile(fc.constant("makeline-demo")), timeZone: orHostile(fc.constant("Europe/Berlin")) }),
    );
    await fc.assert(
      fc.asyncProperty(input, fc.constantFrom("203.0.113.7", "2001:db8::7", "unknown"), async (attempt, ip) => {
        await rolledBack(async (tx) => {
          const logsBefore = logCount();
          const outcome = await attemptSignIn(tx, attempt, ip, { wait: async () => {} });
          expect(["ok", "invalid", "locked"]).toContain(outcome.status);
          expect(logCount() - logsBefore, "one warning per failure, no stack trace").toBeLessThanOrEqual(1);
        });
      }),
      params(60),
    );
  }, 300_000);
});

// --- Route handlers ------------------------------------------------------------------------

describe(`route handlers (seed ${SEED})`, () => {
  test("GET /kpi/export: 200 with a whole CSV, or a 4xx with the reason, for any query", async () => {
    const { exportKpis } = await import("@/app/(app)/kpi/export/handler");
    const query = queryParams({
      period: fc.constantFrom("7", "30", "90", "custom"),
      from: fc.integer({ min: -800, max: 30 }).map(inDays),
      to: fc.integer({ min: -800, max: 30 }).map(inDays),
      store: fc.oneof(fc.constantFrom(...world.stores).map(String), hostileId),
    });
    await fc.assert(
      fc.asyncProperty(actorArb, query, async (actor, q) => {
        const label = () => `export as ${actor?.email ?? "signed out"} ?${searchOf(q)}`;
        await rolledBack((tx) =>
          expectCase(
            tx,
            async () => {
              const response = await exportKpis(actor, new Request(`http://localhost/kpi/export?${searchOf(q)}`), tx);
              expect([200, 303, 400, 401, 404], label()).toContain(response.status);
              const body = await response.text();
              if (response.status === 200) {
                expect(response.headers.get("content-type")).toContain("text/csv");
                expect(body.split("\n")[0].length, label()).toBeGreaterThan(0);
              } else if (response.status === 400) expect(Object.keys(JSON.parse(body).fieldErrors).length, label()).toBeGreaterThan(0);
              else if (response.status === 303) expect(response.headers.get("location"), label()).toMatch(/^\/kpi\/exports\?period=/);
              expect(body, label()).not.toMatch(/\n\s+at |Error:/);
              // A CSV made is counted for the account's hourly limit (one row); anything else changes nothing.
              return { refused: response.status !== 200 };
            },
            label,
          ),
        );
      }),
      params(140),
    );
  }, 300_000);

  test("GET /orders/<id>/attachments/<id>: the file to its readers, 401 or 404 to anything else", async () => {
    const { serveAttachment } = await import("@/app/(app)/orders/[id]/attachments/[attachmentId]/handler");
    const { attachment } = world;
    const ids = fc.record({
      id: fc.oneof({ weight: 3, arbitrary: fc.constant(String(attachment.orderId)) }, { weight: 2, arbitrary: idOrHostile(world.orders.map((o) => o.id)) }),
      attachmentId: fc.oneof({ weight: 3, arbitrary: fc.constant(String(attachment.id)) }, { weight: 2, arbitrary: hostileId }),
    });
    const north = world.orders.find((o) => o.id === attachment.orderId)!;
    await fc.assert(
      fc.asyncProperty(actorArb, ids, async (actor, p) => {
        const label = () => `attachment as ${actor?.email ?? "signed out"} ${JSON.stringify(p)}`;
        await rolledBack((tx) =>
          expectCase(
            tx,
            async () => {
              const response = await serveAttachment(actor, p, tx);
              const exact = p.id === String(attachment.orderId) && p.attachmentId === String(attachment.id);
              const reader = actor !== null && (actor.roles.some((r) => r !== "storeManager") || actor.storeIds.includes(north.storeId));
              expect(response.status, label()).toBe(!actor ? 401 : exact && reader ? 200 : 404);
              if (response.status === 200) expect(response.headers.get("content-disposition")).toMatch(/^inline; filename\*=UTF-8''/);
              return { refused: true };
            },
            label,
          ),
        );
      }),
      params(200),
    );
  }, 300_000);

  test("POST /orders/uploads: a signed URL only for who may attach to that order (or create in that store), else a 4xx with the reason", async () => {
    const { prepareUploadRoute } = await import("@/app/(app)/orders/uploads/handler");
    const body = fc.record(
      {
        orderId: fc.oneof(fc.constantFrom(...world.orders.map((o) => o.id)), hostileId, fc.integer()),
        storeId: fc.oneof(fc.constantFrom(...world.stores), hostileId),
        filename: fc.oneof(fc.constantFrom("drawing.pdf", "Plan rev 2.PDF", "photo.jpg"), hostileText),
        size: fc.oneof(fc.integer({ min: 1, max: 200 * 1024 * 1024 }), fc.integer(), hostileText, fc.double()),
      },
      { requiredKeys: [] },
    );
    const raw = fc.oneof({ weight: 5, arbitrary: body.map((b) => JSON.stringify(b)) }, { weight: 1, arbitrary: fc.oneof(hostileText, fc.constantFrom("[]", "null", "1", '"x"', "{")) });
    const contentType = fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "multipart/form-data", "");
    await fc.assert(
      fc.asyncProperty(actorArb, raw, contentType, async (actor, text, type) => {
        const label = () => `upload URL as ${actor?.email ?? "signed out"} (${type}) ${text.slice(0, 200)}`;
        await rolledBack((tx) =>
          expectCase(
            tx,
            async () => {
              const response = await prepareUploadRoute(actor, new Request("http://localhost/orders/uploads", { method: "POST", headers: type ? { "content-type": type } : {}, body: text }), tx);
              expect([200, 400, 401, 404, 415], label()).toContain(response.status);
              const answer = (await response.json()) as { url?: string; formError?: string };
              expect(JSON.stringify(answer), label()).not.toMatch(/\n\s+at |Error:/);
              if (response.status !== 200) {
                expect(answer.url, label()).toBeUndefined();
                expect(answer.formError, label()).toBeTruthy();
                return { refused: true };
              }
              const asked = JSON.parse(text) as { orderId?: number; storeId?: number };
              const order = world.orders.find((o) => String(o.id) === String(asked.orderId));
              const allowed = order ? can.order(actor!, "addAttachment", order) : can.order(actor!, "createOrder", { storeId: Number(asked.storeId), stage: "storeOrder", state: "active" });
              expect(allowed, label()).toBe(true);
              expect(answer.url, label()).toMatch(/^\/api\/files\//);
              return { refused: false };
            },
            label,
          ),
        );
      }),
      params(200),
    );
  }, 300_000);

  test("PUT /api/files/<token>: a token the app did not sign (or one past its time) is a 403 and writes nothing", async () => {
    const { PUT } = await import("@/app/api/files/[token]/route");
    const token = fc.oneof(
      hostileText,
      fc.tuple(fc.base64String(), fc.base64String()).map(([a, b]) => `${a}.${b}`),
      fc.record({ k: fc.oneof(fc.constantFrom("attachments/x", "../x", "/etc/passwd"), hostileText), n: fc.integer(), e: fc.integer() }).map((g) => `${Buffer.from(JSON.stringify(g)).toString("base64url")}.${"A".repeat(43)}`),
    );
    await fc.assert(
      fc.asyncProperty(token, fc.uint8Array({ maxLength: 200 }), async (t, bytes) => {
        const label = () => `PUT /api/files/${t.slice(0, 120)}`;
        const response = await PUT(new Request("http://localhost/api/files/x", { method: "PUT", body: bytes }), { params: Promise.resolve({ token: t }) });
        expect(response.status, label()).toBe(403);
        cases++;
      }),
      params(100),
    );
  }, 300_000);

  test("GET /kpi/exports/<id>/file: only the account's own prepared file, 401 or 404 to anything else", async () => {
    await fc.assert(
      fc.asyncProperty(actorArb, fc.oneof(fc.uuid(), hostileText), async (actor, id) => {
        const label = () => `export file ${JSON.stringify(id)} as ${actor?.email ?? "signed out"}`;
        await rolledBack((tx) =>
          expectCase(
            tx,
            async () => {
              const response = await serveExportFile(actor, id, tx);
              expect(response.status, label()).toBe(actor ? 404 : 401);
              return { refused: true };
            },
            label,
          ),
        );
      }),
      params(60),
    );
  }, 300_000);

  test("GET /api/live: 401 signed out; otherwise an event stream of names and numbers only, whatever Last-Event-ID says", async () => {
    const { liveResponse } = await import("@/app/api/live/handler");
    const { startLiveHub, stopLiveHub } = await import("@/lib/live/hub");
    // The process's one LISTEN starts outside the cases' transactions, as on a server: on PGlite a
    // statement outside an open transaction waits for it.
    await startLiveHub();
    const lastEventId = fc.oneof(fc.constant(null), fc.constant("1.1~1.0"), hostileText);
    await fc.assert(
      fc.asyncProperty(actorArb, fc.constantFrom("stream" as const, "poll" as const, "off" as const), lastEventId, async (actor, mode, last) => {
        const label = () => `live ${mode} as ${actor?.email ?? "signed out"} after ${JSON.stringify(last)}`;
        await rolledBack((tx) =>
          expectCase(
            tx,
            async () => {
              const abort = new AbortController();
              const response = await liveResponse(actor, { db: tx, mode, lastEventId: last, signal: abort.signal, recheck: async () => actor });
              expect(response.status, label()).toBe(!actor ? 401 : mode === "off" ? 204 : 200);
              if (response.status === 200) {
                const reader = response.body!.getReader();
                const { value } = await reader.read();
                abort.abort();
                await reader.cancel();
                const text = new TextDecoder().decode(value);
                // Only the protocol's own lines: no content, nothing echoed from the request.
                for (const line of text.split("\n")) expect(line, label()).toMatch(/^(retry: \d+|id: \d+\.\d+~\d+\.\d+|event: (hello|order|inbox|all)|data: ?\d*|data:|)$/);
              }
              return { refused: true };
            },
            label,
          ),
        );
      }),
      params(60),
    );
    await stopLiveHub();
  }, 300_000);

  test("GET /api/live/orders/<id>?since=: what changed, to the order's readers only; 4xx to anything else", async () => {
    const { orderChangesResponse } = await import("@/app/api/live/orders/[id]/handler");
    const since = fc.oneof(fc.constantFrom("1", "2", "5"), hostileId, fc.constant(null));
    await fc.assert(
      fc.asyncProperty(actorArb, idOrHostile(world.orders.map((o) => o.id)), since, async (actor, id, v) => {
        const label = () => `order changes ${JSON.stringify(id)} since ${JSON.stringify(v)} as ${actor?.email ?? "signed out"}`;
        await rolledBack((tx) =>
          expectCase(
            tx,
            async () => {
              const response = await orderChangesResponse(actor, id, v, tx);
              const order = world.orders.find((o) => String(o.id) === id);
              const reader = actor !== null && order !== undefined && can.order(actor, "readOrder", order);
              const validSince = idSchema.safeParse(v).success;
              expect(response.status, label()).toBe(!actor ? 401 : !reader ? 404 : validSince ? 200 : 400);
              if (response.status === 200) {
                const body = (await response.json()) as { version: number; changes: string[] };
                expect(Number.isInteger(body.version) && body.changes.every((c) => typeof c === "string"), label()).toBe(true);
              }
              return { refused: true };
            },
            label,
          ),
        );
      }),
      params(150),
    );
  }, 300_000);

  test("GET /api/cron/automations: any other authorization is a 401 and runs nothing", async () => {
    const { GET } = await import("@/app/api/cron/automations/route");
    const header = fc.oneof(
      hostileText,
      hostileText.map((s) => `Bearer ${s}`),
      fc.constantFrom("Bearer", "bearer fuzz-cron-secret-0123456789abcdef", "Bearer fuzz-cron-secret-0123456789abcdeF", "Basic fuzz-cron-secret-0123456789abcdef", "Bearer  fuzz-cron-secret-0123456789abcdef"),
    );
    await fc.assert(
      fc.asyncProperty(fc.option(header), async (authorization) => {
        let request: Request;
        try {
          request = new Request("http://localhost/api/cron/automations", authorization === null ? {} : { headers: { authorization } });
        } catch {
          fc.pre(false); // not a header HTTP can carry: no server ever sees it
          return;
        }
        const before = await fingerprint(conn.db);
        const response = await GET(request);
        cases++;
        expect(response.status, String(authorization)).toBe(401);
        expect(await fingerprint(conn.db)).toEqual(before);
      }),
      params(100),
    );
  }, 300_000);

  /**
   * /api/v1 (issue 20): every route of the registry with any key (each account's, a revoked one,
   * none, garbage), any path parameter, query and body (JSON the route wants, any JSON, text that
   * is not JSON, other content types, multipart files). Property 1, 2 (the per-key request count
   * and last-use stamp are bookkeeping of the request itself, not a change), 3 (every refusal is
   * problem+json with a 4xx), 4 and 5.
   */
  test.each(apiRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))("API %s: an answer below 500 for anything; a refusal is problem+json and changes nothing", async (_name, route) => {
    // A target order, and what a client that read it would send: its number and version, a
    // to-do and fields of its stage (valid values a person could enter), mixed with anything else.
    // Files are attached in Store Order only: that route aims mostly at orders there.
    const aimed = route.path.endsWith("/attachments") ? world.orders.filter((o) => o.stage === "storeOrder" && o.state === "active") : world.orders;
    const target = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...aimed) }, { weight: 1, arbitrary: fc.constantFrom(...world.orders) }).chain((o) =>
      fc.record({
        number: fc.oneof({ weight: 6, arbitrary: fc.constant(formatOrderNumber(o.id)) }, { weight: 1, arbitrary: fc.constant(String(o.id)) }, { weight: 2, arbitrary: fc.oneof(hostileText, hostileId) }),
        version: fc.oneof({ weight: 6, arbitrary: fc.constant(o.version) }, { weight: 1, arbitrary: fc.oneof(fc.integer(), hostileText, fc.constant(o.version - 1)) }),
        key: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...stageDef(o.stage).todos.map((t) => todoKey(o.stage, t.key))) }, { weight: 1, arbitrary: anyTodo }, { weight: 1, arbitrary: hostileText }),
        fields: fc.oneof(
          { weight: 3, arbitrary: fc.subarray(stageDef(o.stage).fields.filter((f) => validControl[f.key]).map((f) => f.key), { minLength: 1 }).chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, validControl[k]])))) },
          { weight: 2, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...fieldDefs.map((f) => f.key)), hostileText), fc.oneof(words(1, 6), fc.integer({ min: -5, max: 200 }), hostileText, fc.jsonValue()), { maxKeys: 4 }) },
        ),
        attachmentId: fc.oneof(fc.constant(String(world.attachment.id)), hostileId),
      }),
    );
    const managerKeys = world.apiKeys.filter((k) => actors.some((a) => a?.id === k.accountId && a.roles.includes("storeManager"))).map((k) => k.secret);
    const keyArb = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...world.apiKeys.map((k) => k.secret)) },
      { weight: 3, arbitrary: fc.constantFrom(...managerKeys) },
      { weight: 1, arbitrary: fc.constantFrom(world.revokedKey, `ml_live_${"A".repeat(43)}`, "", "ml_live_") },
      { weight: 1, arbitrary: hostileText },
    );
    const jsonBody = (t: { version: number | string; fields: unknown }) =>
      fc.oneof(
        { weight: 4, arbitrary: fc.record(
          {
            storeId: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...world.stores) }, { weight: 1, arbitrary: fc.oneof(hostileId, fc.integer()) }),
            productSpecifications: orHostile(words(3, 20)),
            orderQuantity: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 500 }) }, { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -3, max: 200_000 }), hostileId) }),
            requiredDeliveryDate: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 400 }).map(inDays) }, { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -20, max: 0 }).map(inDays), hostileText) }),
            version: fc.constant(t.version),
            fields: fc.constant(t.fields),
            done: fc.oneof(fc.boolean(), hostileText),
            confirmOpenTodos: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.oneof(fc.boolean(), hostileText) }),
            body: orHostile(words(1, 20)),
          },
        ).map((r) => (route.path === "/orders" ? { storeId: r.storeId, productSpecifications: r.productSpecifications, orderQuantity: r.orderQuantity, requiredDeliveryDate: r.requiredDeliveryDate } : r)) },
        // Anything else: keys left out, other types, arrays, nothing.
        { weight: 1, arbitrary: fc.jsonValue() },
      );
    const request = target.chain((t) => {
      const body = route.bodyKind === "multipart"
        ? fc.record({
            kind: fc.constant("multipart" as const),
            version: fc.oneof({ weight: 4, arbitrary: fc.constant(String(t.version)) }, { weight: 1, arbitrary: hostileText }),
            files: fc.oneof({ weight: 3, arbitrary: fc.array(fileSpec.filter((f) => f.kind === "pdf" || f.kind === "png"), { minLength: 1, maxLength: 2 }) }, { weight: 2, arbitrary: fc.array(fileSpec, { maxLength: 3 }) }),
          })
        : fc.oneof(
            { weight: 8, arbitrary: jsonBody(t).map((json) => ({ kind: "json" as const, json: route.path === "/orders" || !json || typeof json !== "object" || Array.isArray(json) ? json : stripTo(route.path, json as Record<string, unknown>) })) },
            { weight: 1, arbitrary: fc.oneof(hostileText, fc.constant('{"body": ')).map((text) => ({ kind: "text" as const, text, type: "application/json" })) },
            { weight: 1, arbitrary: words(1, 3).map((text) => ({ kind: "text" as const, text, type: "text/plain" })) },
          );
      return fc.tuple(fc.constant(t), body);
    });
    /** The keys of the route's own body (any JSON at all comes from the other branch). */
    function stripTo(path: string, json: Record<string, unknown>) {
      const keep = path.endsWith("/stage") ? ["version", "fields"] : path.endsWith("/complete") ? ["version", "confirmOpenTodos"] : path.endsWith("/comments") ? ["body"] : path.includes("/todos/") ? ["version", "done"] : Object.keys(json);
      return Object.fromEntries(Object.entries(json).filter(([k]) => keep.includes(k)));
    }
    const query = queryParams({ view: fc.constantFrom("queue", "all", "inspect"), q: fc.oneof(words(1, 3), fc.constant("MO-00001")), stage: fc.constantFrom(...stageKeys), state: fc.constantFrom("active", "onHold"), store: fc.constantFrom(...world.stores).map(String), sla: fc.constantFrom("overdue", "atRisk"), sort: fc.constantFrom("due", "-due", "new"), after: fc.oneof(fc.constant("1.1"), hostileText) });
    const bookkeeping = (f: Record<string, string>) => Object.fromEntries(Object.entries(f).filter(([t]) => t !== "api_rate_limits" && t !== "api_keys"));
    let accepted = 0;
    const statuses: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(keyArb, request, query, async (key, [p, b], q) => {
        let url: string;
        try {
          const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(String(p[name as keyof typeof p])));
          url = `http://localhost/api/v1${path}${route.method === "GET" && route.query ? `?${searchOf(q)}` : ""}`;
        } catch {
          fc.pre(false); // a lone surrogate: no URL can carry it
          return;
        }
        const headers: Record<string, string> = {};
        let requestBody: BodyInit | undefined;
        if (route.body && b) {
          if (b.kind === "json") {
            headers["content-type"] = "application/json";
            requestBody = JSON.stringify(b.json) ?? "null";
          } else if (b.kind === "text") {
            headers["content-type"] = b.type;
            requestBody = b.text;
          } else if (b.kind === "multipart") {
            requestBody = toFormData([["version", b.version], ...b.files.map((f) => ["attachments", f] as Entry)]);
          }
        }
        let httpRequest: Request;
        try {
          httpRequest = new Request(url, { method: route.method, headers: { ...headers, authorization: `Bearer ${key}` }, body: requestBody });
        } catch {
          fc.pre(false); // not a request HTTP can carry: no server ever sees it
          return;
        }
        const label = () => `${route.method} ${url} as ${key.slice(0, 20)} with ${JSON.stringify(b).slice(0, 300)}`;
        await rolledBack(async (tx) => {
          const before = await fingerprint(tx);
          const logsBefore = logCount();
          const response = await runApiRoute(route, httpRequest, { number: p.number, key: p.key, attachmentId: p.attachmentId }, { db: tx });
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          expect(logCount() - logsBefore, `nothing is logged: ${label()}`).toBe(0);
          expect(response.status, label()).toBeLessThan(500);
          const text = await response.text();
          expect(text, label()).not.toMatch(/\n\s+at |Error:/);
          if (response.status >= 400) {
            expect(response.headers.get("content-type"), label()).toBe("application/problem+json");
            const problem = JSON.parse(text);
            expect(problem.status, label()).toBe(response.status);
            expect(typeof problem.title, label()).toBe("string");
            expect(bookkeeping(await fingerprint(tx)), `a refusal changes nothing: ${label()}`).toEqual(bookkeeping(before));
          } else if (route.write) {
            accepted++;
            const number = route.path.includes("{number}") ? p.number : (JSON.parse(text) as { number: string }).number;
            const id = Number(/\d+/.exec(number)?.[0]);
            await expectStoredValid(tx, id);
          }
        });
      }),
      params(route.write ? 100 : 40),
    );
    console.info(`fuzz: API ${route.method} ${route.path} answered ${JSON.stringify(statuses)}`);
    if (route.write && SCALE >= 1) expect(accepted, `${route.operationId}: some generated requests are accepted`).toBeGreaterThan(0);
  }, 300_000);

  test("GET /api/health and /api/health/live: 200 whatever the request, and nothing but the status", async () => {
    const { GET } = await import("@/app/api/health/route");
    const { GET: live } = await import("@/app/api/health/live/route");
    await fc.assert(
      fc.asyncProperty(fc.constant(null), async () => {
        const before = await fingerprint(conn.db);
        const [ready, alive] = [await GET(), live()];
        cases += 2;
        expect(ready.status).toBe(200);
        expect(await ready.json()).toEqual({ status: "ready" });
        expect(alive.status).toBe(200);
        expect(await alive.json()).toEqual({ status: "live" });
        expect(await fingerprint(conn.db)).toEqual(before);
      }),
      params(10),
    );
  }, 300_000);
});

// --- Pages' URL input ----------------------------------------------------------------------

describe(`pages' URL input (seed ${SEED})`, () => {
  const signedIn = () => fc.constantFrom(...actors.filter((a): a is Actor => a !== null));

  /** The page's own parsing and query for its URL input: never a throw, never a write. */
  const page = (name: string, query: () => fc.Arbitrary<Record<string, string | string[]>>, read: (tx: Db, actor: Actor, q: Record<string, string | string[]>) => Promise<unknown>, n: number) =>
    test(`${name}: any query shows a page`, async () => {
      await fc.assert(
        fc.asyncProperty(signedIn(), query(), async (actor, q) => {
          await rolledBack((tx) => expectCase(tx, async () => (await read(tx, actor, q), { refused: true }), () => `${name}?${searchOf(q)} as ${actor.email}`));
        }),
        params(n),
      );
    }, 300_000);

  const id = () => fc.oneof(fc.constantFrom(...world.orders.map((o) => o.id)).map(String), hostileId);
  const pageNo = fc.oneof(fc.integer({ min: 1, max: 5 }).map(String), hostileId);

  page(
    "/orders",
    () =>
      queryParams({
        view: fc.constantFrom("queue", "all"),
        q: fc.oneof(words(1, 20), fc.constant("MO-00001")),
        stage: fc.constantFrom(...stageKeys),
        state: fc.constantFrom("active", "onHold"),
        store: id(),
        sla: fc.constantFrom("overdue", "atRisk"),
        sort: fc.constantFrom("due", "-due", "new"),
        plannedOn: fc.oneof(fc.integer({ min: -10, max: 60 }).map(inDays), fc.constantFrom("2027-02-30", "x")),
        page: pageNo,
        // The KPI page's Pareto links: a fail reason and the period's days.
        failReason: fc.oneof(fc.constantFrom(...Object.values(seededFailReasons)).map(String), hostileId),
        failedFrom: fc.oneof(fc.integer({ min: -800, max: 30 }).map(inDays), fc.constantFrom("0001-01-01", "2999-12-31", "9999-12-31", "2026-02-30")),
        failedTo: fc.oneof(fc.integer({ min: -800, max: 30 }).map(inDays), fc.constantFrom("0001-01-01", "2999-12-31", "9999-12-31")),
      }),
    (tx, actor, q) => listOrders(tx, actor, orderListSchema.parse(q)),
    80,
  );
  page("/board", () => queryParams({ store: id(), stage: fc.constantFrom("storeOrder", "onHold", "nope"), sla: fc.constantFrom("overdue", "x"), mine: fc.constantFrom("1", "0") }), (tx, actor, q) => boardColumns(tx, actor, boardSchema.parse(q)), 40);
  page(
    "/kpi",
    () => queryParams({ period: fc.constantFrom("7", "30", "90", "custom"), from: fc.integer({ min: -800, max: 30 }).map(inDays), to: fc.integer({ min: -800, max: 30 }).map(inDays), store: id() }),
    async (tx, actor, q) => {
      const { filter, errors } = parseKpiFilter(q);
      if (!errors.store) await kpiReport(tx, actor, filter);
    },
    40,
  );
  page(
    "/kpi/exports",
    () => queryParams({ period: fc.constantFrom("7", "30", "90", "custom"), from: fc.integer({ min: -800, max: 30 }).map(inDays), to: fc.integer({ min: -800, max: 30 }).map(inDays), store: id() }),
    async (tx, actor, q) => {
      const { filter, errors } = parseKpiFilter(q);
      if (!errors.store && !Object.keys(errors).length) await countKpiCsvRows(tx, actor, filter);
      await listMyExports(tx, actor);
    },
    30,
  );
  page("/inbox", () => queryParams({ page: pageNo, unread: fc.constantFrom("1", "0"), priority: fc.constantFrom("high", "bad"), rule: fc.oneof(fc.constantFrom(...world.rules).map(String), fc.constant("mention"), hostileId) }), (tx, actor, q) => listInbox(tx, actor, inboxFilterSchema.parse(q)), 40);
  page("/admin/rules", () => queryParams({ rule: fc.oneof(fc.constantFrom(...world.rules).map(String), hostileId), delivery: fc.constantFrom("pending", "sent", "failed"), page: pageNo }), (tx, _actor, q) => listFirings(tx, firingLogSchema.parse(q)), 40);
  page("/dev/mailbox", () => queryParams({ id: id(), page: pageNo }), async (tx, _actor, q) => {
    const query = mailboxQuerySchema.parse(q);
    await listMailbox(tx, { all: true }, query.page);
    if (query.id) await mailboxEmail(tx, { all: true }, query.id);
  }, 40);
  page(
    "/admin/users",
    () => queryParams({ q: fc.oneof(words(1, 3), fc.constantFrom("%", "_", "\\", "@example.com", "\u0000")), role: fc.constantFrom(...roleKeys), store: fc.oneof(fc.constantFrom(...world.stores).map(String), hostileId), status: fc.constantFrom("active", "inactive"), page: pageNo }),
    (tx, _actor, q) => listAccounts(tx, parseAccountList(q)),
    60,
  );
  page("/admin/users/<id>", () => queryParams({ id: fc.oneof(fc.constantFrom(...world.accounts.map((a) => a.id)).map(String), hostileId) }), async (tx, _actor, q) => {
    const parsed = idSchema.safeParse([q.id].flat()[0]);
    if (parsed.success) await accountDetail(tx, parsed.data);
  }, 40);
  page(
    "/admin/audit",
    () =>
      fc
        .tuple(
          queryParams({
            account: fc.oneof(fc.constantFrom(...world.accounts.map((a) => a.id)).map(String), hostileId),
            kind: fc.constantFrom(...auditKinds, "nope"),
            from: fc.oneof(fc.integer({ min: -800, max: 30 }).map(inDays), fc.constantFrom("0001-01-01", "1999-12-31", "2999-12-31", "3000-01-01", "9999-12-31", "-001-01-01")),
            to: fc.oneof(fc.integer({ min: -800, max: 30 }).map(inDays), fc.constantFrom("0001-01-01", "2999-12-31", "9999-12-31")),
            page: pageNo,
          }),
          // The days are the viewer's: any zone, either side of UTC.
          fc.constantFrom(...timeZones),
        )
        .map(([q, zone]) => ({ ...q, "(viewer's zone)": zone })),
    (tx, _actor, q) => listAudit(tx, parseAuditFilter(q, String(q["(viewer's zone)"])).filter),
    60,
  );
  // Pages that read no URL input: whatever the address carries, they show the same page.
  page("/account", () => queryParams({ tab: fc.constantFrom("password", "zone") }), async (tx, actor) => {
    await Promise.all([listAllStores(tx), listRules(tx), preferencesOf(tx, actor.id)]);
  }, 10);
  page("/admin/stores", () => queryParams({ store: id() }), (tx) => listAllStores(tx), 10);
  page("/admin/fail-reasons", () => queryParams({ reason: id() }), (tx) => listFailReasons(tx), 10);
  page("/admin/calendars", () => queryParams({ store: id() }), async (tx) => {
    await Promise.all([shopCalendarRow(tx), storeCalendarRows(tx)]);
  }, 10);
  page("/capacity", () => queryParams({ week: fc.constantFrom("1", "x") }), (tx) => capacityWeeks(tx, new Date()), 10);
  page("/admin/capacity", () => queryParams({ from: fc.constantFrom("2027-01-01", "x") }), async (tx) => {
    await Promise.all([capacityRateRows(tx), shopCalendar(tx)]);
  }, 10);
  page("/orders/<id>", () => queryParams({ id: id() }), async (tx, _actor, q) => {
    const parsed = idSchema.safeParse([q.id].flat()[0]);
    if (parsed.success) await orderDetail(tx, parsed.data);
  }, 60);
  page("/orders/<id>/traveller", () => queryParams({ id: id() }), async (tx, _actor, q) => {
    const parsed = idSchema.safeParse([q.id].flat()[0]);
    if (parsed.success) await travellers(tx, [parsed.data]);
  }, 30);
  // The batch: ticked ids (any number, repeated, hostile) or the list's filters.
  page(
    "/orders/travellers",
    () =>
      fc
        .tuple(
          queryParams({ id: id(), view: fc.constantFrom("queue", "all", "inspect"), q: fc.oneof(words(1, 20), fc.constant("MO-00001")), stage: fc.constantFrom(...stageKeys), sort: fc.constantFrom("due", "-due", "new") }),
          fc.option(fc.array(id(), { maxLength: 130 })),
        )
        .map(([q, many]) => (many ? { ...q, id: many } : q)),
    async (tx, actor, q) => {
      const { id: ids, list } = parseTravellerBatch(q);
      expect(new Set(ids).size).toBe(ids.length);
      await travellers(tx, ids.length ? ids.slice(0, TRAVELLER_BATCH) : await filteredOrderIds(tx, actor, list, new Date(), TRAVELLER_BATCH + 1));
    },
    40,
  );

  test("the suite ran at least 2,000 generated cases", () => {
    if (SCALE >= 1) expect(cases).toBeGreaterThanOrEqual(2000);
  });
});
