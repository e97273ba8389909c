import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { listDeliveries, webhookEndpoint } from "@/db/queries/api-admin";
import { parseDeliveryLog } from "@/lib/webhooks/filters";
import { listAllStores } from "@/db/queries/stores";
import { requireGrant } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { idSchema, formatOrderNumber } from "@/lib/workflow";
import { webhookEventOptions } from "@/lib/webhooks/event-types";
import { Badge } from "@/components/ui/badge";
import { EndpointForm, ResendForm, RotateSecretForm, SendTestForm } from "../_components/endpoint-form";

export const metadata: Metadata = { title: "Webhook endpoint" };

type Search = Record<string, string | string[] | undefined>;

const tones = { pending: "amber", delivered: "emerald", failed: "rose" } as const;

export default async function WebhookEndpointPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Search> }) {
  const actor = await requireGrant("manageWebhooks");
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const raw = await searchParams;
  const query = parseDeliveryLog(raw);
  const db = await getDb();
  const [row, stores] = await Promise.all([webhookEndpoint(db, id.data), listAllStores(db)]);
  if (!row) notFound();
  const { endpoint: e } = row;
  const log = await listDeliveries(db, e.id, query);
  const zone = actor.timeZone ?? "UTC";
  const link = (patch: Record<string, string | undefined>) => {
    const entries: [string, string | undefined][] = Object.entries({ status: query.status as string | undefined, ...patch });
    const p = new URLSearchParams(entries.filter((x): x is [string, string] => Boolean(x[1])));
    return `/admin/webhooks/${e.id}${p.size ? `?${p}` : ""}`;
  };

  return (
    <div className="space-y-8">
      <div className="space-y-1">
        <p className="text-sm">
          <Link href="/admin/webhooks" className="text-indigo-700 underline">
            Webhooks
          </Link>
        </p>
        <h1 className="break-all text-2xl font-semibold">{e.url}</h1>
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          {e.enabled ? <Badge tone="emerald">Enabled</Badge> : <Badge tone="rose">Disabled</Badge>}
          {e.disabledAt && !e.enabled && <span>Disabled {formatDateTime(e.disabledAt, zone)}: {e.disabledReason}</span>}
          {e.failingSince && e.enabled && <span>Failing since {formatDateTime(e.failingSince, zone)}</span>}
          {e.previousSecretExpiresAt && e.previousSecretExpiresAt > new Date() && <span>Both secrets sign until {formatDateTime(e.previousSecretExpiresAt, zone)}</span>}
        </p>
      </div>

      <section aria-labelledby="settings-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <h2 id="settings-heading" className="text-lg font-semibold">
          Settings
        </h2>
        <EndpointForm endpoint={e} events={webhookEventOptions()} stores={stores.map((s) => ({ id: s.id, name: s.name }))} />
        <div className="flex flex-wrap gap-6 border-t border-slate-200 pt-4">
          <SendTestForm endpointId={e.id} />
          <RotateSecretForm endpointId={e.id} />
        </div>
      </section>

      <section aria-labelledby="deliveries-heading" className="space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="deliveries-heading" className="text-lg font-semibold">
            Deliveries
          </h2>
          <nav aria-label="Delivery status" className="flex gap-2 text-sm">
            {[undefined, "pending", "delivered", "failed"].map((s) => (
              <Link key={s ?? "all"} href={link({ status: s, before: undefined })} aria-current={query.status === s ? "page" : undefined} className={`rounded px-2 py-1 ${query.status === s ? "bg-indigo-100 text-indigo-800" : "text-slate-600 hover:bg-slate-100"}`}>
                {s ? s[0].toUpperCase() + s.slice(1) : "All"}
              </Link>
            ))}
          </nav>
        </div>
        {log.rows.length === 0 ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-slate-600">No deliveries{query.status ? ` ${query.status}` : ""} yet.</div>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-left text-sm">
              <thead className="bg-slate-50 text-xs uppercase text-slate-500">
                <tr>
                  <th scope="col" className="px-3 py-2">Event</th>
                  <th scope="col" className="px-3 py-2">Status</th>
                  <th scope="col" className="px-3 py-2">Answer</th>
                  <th scope="col" className="px-3 py-2">Attempts</th>
                  <th scope="col" className="px-3 py-2">Next retry</th>
                  <th scope="col" className="px-3 py-2">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {log.rows.map((d) => (
                  <tr key={d.id} className="align-top">
                    <td className="px-3 py-2">
                      <div className="font-mono text-xs">{d.eventType}</div>
                      <div className="text-xs text-slate-500">
                        {d.orderId ? `${formatOrderNumber(d.orderId)} · ` : ""}
                        {formatDateTime(d.createdAt, zone)}
                      </div>
                    </td>
                    <td className="px-3 py-2">
                      <Badge tone={tones[d.status]}>{d.status}</Badge>
                    </td>
                    <td className="max-w-xs px-3 py-2">
                      <div>{d.responseStatus ?? "—"}</div>
                      {(d.responseBody || d.lastError) && <div className="break-all font-mono text-xs text-slate-500">{d.lastError && d.status !== "delivered" ? d.lastError : d.responseBody}</div>}
                    </td>
                    <td className="px-3 py-2">{d.attempts}</td>
                    <td className="px-3 py-2">{d.status === "pending" ? formatDateTime(d.nextAttemptAt, zone) : "—"}</td>
                    <td className="px-3 py-2">{d.status !== "pending" && <ResendForm endpointId={e.id} deliveryId={d.id} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {log.next && (
          <Link href={link({ before: log.next })} className="text-sm text-indigo-700 underline">
            Older deliveries
          </Link>
        )}
      </section>
    </div>
  );
}
