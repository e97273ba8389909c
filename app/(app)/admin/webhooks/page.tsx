import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { getDb } from "@/db/client";
import { listWebhookEndpoints } from "@/db/queries/api-admin";
import { listAllStores } from "@/db/queries/stores";
import { requireGrant } from "@/lib/auth/session";
import { webhookEventOptions } from "@/lib/webhooks/event-types";
import { Badge } from "@/components/ui/badge";
import { CreateEndpointForm } from "./_components/create-endpoint-form";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  await requireGrant("manageWebhooks");
  const db = await getDb();
  const [endpoints, stores] = await Promise.all([listWebhookEndpoints(db), listAllStores(db)]);
  const storeOptions = stores.filter((s) => !s.archived).map((s) => ({ id: s.id, name: s.name }));
  const disabled = endpoints.filter((e) => e.endpoint.disabledAt && !e.endpoint.enabled);

  return (
    <div className="space-y-8">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Webhooks</h1>
        <p className="text-sm text-slate-600">
          Makeline POSTs the events you choose to your endpoints, signed per{" "}
          <Link href="/api/v1/reference#webhooks" className="text-indigo-700 underline">
            Standard Webhooks
          </Link>
          , and retries a failed delivery with backoff for three days.
        </p>
      </div>

      {disabled.length > 0 && (
        <div role="alert" className="rounded-lg border border-rose-300 bg-rose-50 p-4 text-sm text-rose-900">
          {disabled.length === 1 ? "One endpoint was" : `${disabled.length} endpoints were`} disabled after three days of failed deliveries:{" "}
          {disabled.map((e, i) => (
            <span key={e.endpoint.id}>
              {i > 0 && ", "}
              <Link href={`/admin/webhooks/${e.endpoint.id}`} className="underline">
                {e.endpoint.url}
              </Link>
            </span>
          ))}
          .
        </div>
      )}

      <section aria-labelledby="new-endpoint-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <h2 id="new-endpoint-heading" className="text-lg font-semibold">
          New endpoint
        </h2>
        <CreateEndpointForm events={webhookEventOptions()} stores={storeOptions} />
      </section>

      <section aria-labelledby="endpoints-heading" className="space-y-4">
        <h2 id="endpoints-heading" className="text-lg font-semibold">
          Endpoints
        </h2>
        {endpoints.length === 0 ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-slate-600">No endpoints yet.</div>
        ) : (
          <ul className="space-y-3">
            {endpoints.map(({ endpoint: e, storeName, pending, failed }) => (
              <li key={e.id} className="rounded-lg border border-slate-200 bg-white p-4">
                <div className="flex flex-wrap items-center gap-2">
                  <Link href={`/admin/webhooks/${e.id}`} className="break-all font-medium text-indigo-700 underline">
                    {e.url}
                  </Link>
                  {e.enabled ? <Badge tone="emerald">Enabled</Badge> : <Badge tone="rose">Disabled</Badge>}
                </div>
                <p className="mt-1 text-sm text-slate-600">
                  {e.description ? `${e.description} · ` : ""}
                  {e.events.length} event{e.events.length === 1 ? "" : "s"} · {storeName ?? "every store"} · {pending} pending · {failed} failed
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
