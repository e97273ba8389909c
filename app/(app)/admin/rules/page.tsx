import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { getDb } from "@/db/client";
import { FIRING_PAGE_SIZE, deliveryTotals, listFirings, listRules } from "@/db/queries/automation";
import { parseFiringLog, parseRuleToEdit } from "@/lib/automation/filters";
import { can } from "@/lib/auth/policy";
import { requireGrant } from "@/lib/auth/session";
import { describeOccasion, describeRecipients, describeTrigger, orderEventLabels, recipientKindLabels } from "@/lib/automation/describe";
import { triggerStages } from "@/lib/automation/evaluator";
import { messagePlaceholders } from "@/lib/automation/message";
import { type RulePreview, keptRulePreviews } from "@/lib/automation/preview";
import { orderEvents, priorities, priorityLabels, recipientToken, recipientTokens, triggerTypeLabels, triggerTypes } from "@/lib/automation/schemas";
import { emailUnconfigured } from "@/lib/env";
import { formatDateTime } from "@/lib/format";
import { fields, formatOrderNumber, inspectionOptions, roleLabel, stages } from "@/lib/workflow";
import { Badge } from "@/components/ui/badge";
import { inputClass } from "@/components/ui/field";
import { Pager } from "@/components/ui/pager";
import { buttonClass } from "@/components/ui/styles";
import { DeliveryStatus } from "./_components/delivery-status";
import { EmailUnconfiguredNotice } from "./_components/email-unconfigured";
import { DeleteRuleForm, RestoreRuleForm, RuleForm, type RuleFormOptions } from "./_components/rule-form";

export const metadata: Metadata = { title: "Automations" };

type Search = Record<string, string | string[] | undefined>;

export default async function RulesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requireGrant("viewRules");
  const manage = can.manageRules(actor);
  const showLog = can.viewAutomationLog(actor);
  const raw = await searchParams;
  const query = parseFiringLog(raw);
  const editing = manage ? parseRuleToEdit(raw) : undefined;
  const db = await getDb();
  const [allRules, log, totals] = await Promise.all([listRules(db), showLog ? listFirings(db, query) : null, showLog ? deliveryTotals(db) : null]);
  const rules = allRules.filter((r) => !r.archivedAt);
  const deleted = allRules.filter((r) => r.archivedAt);
  const { previews, countedAt } = await keptRulePreviews(db, rules);
  const options: RuleFormOptions = {
    triggerTypes: triggerTypes.map((t) => ({ value: t, label: triggerTypeLabels[t] })),
    stages: stages.map((s) => ({ value: s.key, label: `${s.number}. ${s.name}` })),
    fields: fields.map((f) => ({ value: f.key, label: f.label, values: "options" in f.input ? [...f.input.options] : [] })),
    results: inspectionOptions.map((o) => ({ ...o })),
    events: orderEvents.map((e) => ({ value: e, label: orderEventLabels[e] })),
    recipients: recipientTokens.map((t) => ({ value: t, label: t.startsWith("role:") ? roleLabel(t.slice(5) as Parameters<typeof roleLabel>[0]) : recipientKindLabels[t as keyof typeof recipientKindLabels] })),
    priorities: priorities.map((p) => ({ value: p, label: priorityLabels[p] })),
    placeholders: messagePlaceholders,
  };
  const pages = log ? Math.max(1, Math.ceil(log.total / FIRING_PAGE_SIZE)) : 1;
  /** The page with the firing log's filter and page, and the rule whose form is open, changed by `patch`. */
  const href = (patch: Partial<Record<keyof typeof query | "edit", string | number | undefined>>, hash: string) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...query, edit: editing, ...patch })) if (v !== undefined && v !== "" && !(k === "page" && v === 1)) params.set(k, String(v));
    const s = params.toString();
    return `/admin/rules${s ? `?${s}` : ""}#${hash}`;
  };
  const link = (patch: Partial<Record<keyof typeof query, string | number | undefined>>) => href(patch, "log");
  const editLink = (ruleId?: number) => href({ edit: ruleId }, ruleId ? `rule-${ruleId}` : "rule-list");

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Automations</h1>
        <p className="text-sm text-slate-600">
          Rules that alert people in the app and by email. Each fires once per occasion, however often it is evaluated. What each
          would fire for now was counted at {formatDateTime(countedAt, actor.timeZone)} (at most a minute ago).
          {!manage && " Only administrators can change them."}
        </p>
      </div>

      {emailUnconfigured() && <EmailUnconfiguredNotice />}

      <section aria-labelledby="rules-heading" className="space-y-4">
        <h2 id="rules-heading" className="text-lg font-semibold">
          Rules
        </h2>
        <div id="rule-list" className="grid gap-4 lg:grid-cols-2">
          {rules.map((rule) => (
            <article key={rule.id} id={`rule-${rule.id}`} aria-labelledby={`rule-${rule.id}-title`} className="scroll-mt-20 space-y-4 rounded-lg border border-slate-200 bg-white p-5">
              <header className="space-y-1">
                <div className="flex flex-wrap items-center gap-2">
                  <h3 id={`rule-${rule.id}-title`} className="text-base font-semibold">
                    {rule.name}
                  </h3>
                  {rule.enabled ? <Badge tone="emerald">Enabled</Badge> : <Badge>Disabled</Badge>}
                  {rule.priority === "high" && <Badge tone="rose">High priority</Badge>}
                </div>
                <p className="text-sm text-slate-700">{describeTrigger(rule.trigger)}</p>
                <p className="text-xs text-slate-500">
                  {describeOccasion(rule.trigger)} · updated {formatDateTime(rule.updatedAt, actor.timeZone)}
                </p>
                <RulePreviewLine preview={previews.get(rule.id)!} />
              </header>
              {editing === rule.id ? (
                <>
                  <RuleForm rule={{ ...rule, recipientTokens: rule.recipients.map(recipientToken), stageKeys: ruleStageKeys(rule.trigger) }} options={options} />
                  <div className="flex flex-wrap items-center gap-3">
                    <Link href={href({ edit: undefined }, `rule-${rule.id}`)} className={buttonClass("secondary")}>Close the form</Link>
                    <DeleteRuleForm ruleId={rule.id} name={rule.name} />
                  </div>
                </>
              ) : (
                <>
                  <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[8rem_minmax(0,1fr)]">
                    <dt className="text-slate-500">Message</dt>
                    <dd className="wrap-anywhere">{rule.message}</dd>
                    <dt className="text-slate-500">Notify</dt>
                    <dd>{describeRecipients(rule.recipients)}</dd>
                    <dt className="text-slate-500">Priority</dt>
                    <dd>{priorityLabels[rule.priority]}</dd>
                  </dl>
                  {manage && (
                    <div className="flex flex-wrap items-center gap-3">
                      <Link href={editLink(rule.id)} aria-label={`Edit ${rule.name}`} className={buttonClass("secondary")}>Edit</Link>
                      <DeleteRuleForm ruleId={rule.id} name={rule.name} />
                    </div>
                  )}
                </>
              )}
            </article>
          ))}
        </div>
        {deleted.length > 0 && (
          <section aria-labelledby="deleted-rules-heading" className="space-y-2 rounded-lg border border-dashed border-slate-300 bg-white p-5">
            <h3 id="deleted-rules-heading" className="text-base font-semibold">
              Deleted rules
            </h3>
            <p className="text-sm text-slate-600">They no longer fire; their log and alerts are kept.{manage && " Undo brings one back as it was."}</p>
            <ul className="divide-y divide-slate-100">
              {deleted.map((rule) => (
                <li key={rule.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
                  <span className="min-w-0">
                    <span className="block font-medium">{rule.name}</span>
                    <span className="block text-sm text-slate-600">
                      {describeTrigger(rule.trigger)} · deleted {formatDateTime(rule.archivedAt!, actor.timeZone)}
                    </span>
                  </span>
                  {manage && <RestoreRuleForm ruleId={rule.id} name={rule.name} />}
                </li>
              ))}
            </ul>
          </section>
        )}
        {manage && (
          <details className="rounded-lg border border-slate-200 bg-white p-5">
            <summary className="cursor-pointer text-base font-semibold">New rule</summary>
            <div className="mt-4">
              <RuleForm options={options} />
            </div>
          </details>
        )}
      </section>

      {log && totals && (
        <section aria-labelledby="log-heading" id="log" className="space-y-4">
          <div className="flex flex-wrap items-end justify-between gap-3">
            <div>
              <h2 id="log-heading" className="text-lg font-semibold">
                Firing log
              </h2>
              <p className="text-sm text-slate-600">
                Emails: {totals.sent} sent · {totals.pending} pending · {totals.failed} failed · {totals.skipped} in-app only
              </p>
            </div>
            <form method="get" action="/admin/rules#log" className="flex flex-wrap items-end gap-2" aria-label="Filter the firing log">
              <div>
                <label htmlFor="rule" className="block text-xs font-medium text-slate-600">Rule</label>
                <select id="rule" name="rule" defaultValue={query.rule ? String(query.rule) : ""} className={inputClass}>
                  <option value="">All rules</option>
                  {rules.map((r) => (
                    <option key={r.id} value={r.id}>{r.name}</option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor="delivery" className="block text-xs font-medium text-slate-600">Email</label>
                <select id="delivery" name="delivery" defaultValue={query.delivery ?? ""} className={inputClass}>
                  <option value="">Any state</option>
                  <option value="pending">Pending</option>
                  <option value="sent">Sent</option>
                  <option value="failed">Failed</option>
                </select>
              </div>
              <button type="submit" className={buttonClass("secondary")}>Filter</button>
            </form>
          </div>

          {log.rows.length === 0 ? (
            <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-slate-600">
              {query.rule || query.delivery ? "No firings match this filter." : "No rule has fired yet."}
            </div>
          ) : (
            <div role="region" aria-label="Firing log (scrolls sideways)" tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
              <table className="min-w-full divide-y divide-slate-200 text-sm">
                <caption className="sr-only">Rule firings, newest first</caption>
                <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                  <tr>
                    <th scope="col" className="px-4 py-3">When</th>
                    <th scope="col" className="px-4 py-3">Rule</th>
                    <th scope="col" className="px-4 py-3">Order</th>
                    <th scope="col" className="px-4 py-3">Recipients and delivery</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100 align-top">
                  {log.rows.map((f) => (
                    <tr key={f.id}>
                      <td className="whitespace-nowrap px-4 py-3 tabular-nums">{formatDateTime(f.firedAt, actor.timeZone)}</td>
                      <td className="px-4 py-3">{f.ruleName}</td>
                      <td className="whitespace-nowrap px-4 py-3">
                        <Link href={`/orders/${f.orderId}`} className="font-mono font-medium text-indigo-700 hover:underline">
                          {formatOrderNumber(f.orderId)}
                        </Link>
                        <span className="block text-xs text-slate-500">{f.storeName}</span>
                      </td>
                      <td className="px-4 py-3">
                        {f.recipients.length === 0 ? (
                          <span className="text-slate-500">Nobody holds the role</span>
                        ) : (
                          <ul className="space-y-2">
                            {f.recipients.map((r) => (
                              <li key={r.email} className="flex flex-wrap items-start gap-x-3 gap-y-1">
                                <span className="min-w-32">
                                  {r.name}
                                  <span className="block text-xs text-slate-500">{r.readAt ? "Read in app" : "Unread in app"}</span>
                                </span>
                                <DeliveryStatus status={r.emailStatus} attempts={r.emailAttempts} lastError={r.emailLastError} sentAt={r.emailSentAt} zone={actor.timeZone} />
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          <Pager page={query.page} pages={pages} href={(page) => link({ page })} label="Firing log pages" more={log.more ? { full: log.rows.length === FIRING_PAGE_SIZE } : undefined} />
        </section>
      )}
    </div>
  );
}

/** "Would fire now for N orders", and the first of them (soonest due), each a link. */
function RulePreviewLine({ preview }: { preview: RulePreview }) {
  return (
    <p className="text-sm text-slate-700" data-testid="rule-preview">
      Would fire now for {preview.count.toLocaleString("en-GB")} order{preview.count === 1 ? "" : "s"}
      {preview.first.length > 0 && (
        <>
          {preview.count > preview.first.length ? ", soonest due first: " : ": "}
          {preview.first.map((id, i) => (
            <span key={id}>
              {i > 0 && ", "}
              <Link href={`/orders/${id}`} className="font-mono text-indigo-700 hover:underline">
                {formatOrderNumber(id)}
              </Link>
            </span>
          ))}
          {preview.count > preview.first.length && " …"}
        </>
      )}
    </p>
  );
}

/** The stages a rule's form ticks: the stage an order enters, or those an at-risk/overdue rule watches. */
function ruleStageKeys(trigger: Parameters<typeof triggerStages>[0]): string[] {
  if (trigger.type === "stage_entered") return [trigger.stage];
  return triggerStages(trigger) ?? [];
}
