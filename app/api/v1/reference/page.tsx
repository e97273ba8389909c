import type { Metadata } from "next";
import { problemKinds, referenceSections, webhookEvents } from "@/lib/api/reference";
import { CopyButton } from "@/components/ui/copy-button";
import { firstStage } from "@/lib/workflow";

export const metadata: Metadata = { title: "API reference" };

const deliveryExample = `POST /your/endpoint HTTP/1.1
content-type: application/json
webhook-id: msg_2f0c8a4e6b1d4c7f9a3e5d1b0c2a4e6f
webhook-timestamp: 1796258400
webhook-signature: v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=

{"type":"order.created","timestamp":"2026-12-02T10:00:00.000Z","data":{"order":{"number":"MO-00042","id":42,"version":1,"storeId":1,"stage":"${firstStage}","state":"active","fields":{"orderQuantity":2,"productSpecifications":"Oak dining table","requiredDeliveryDate":"2027-03-01"}}}}`;

const verifyExample = `import { Webhook } from "standardwebhooks";

const wh = new Webhook(process.env.MAKELINE_WEBHOOK_SECRET); // whsec_…
// Throws unless one of the signatures is valid and the timestamp is recent.
const event = wh.verify(rawBody, {
  "webhook-id": req.headers["webhook-id"],
  "webhook-timestamp": req.headers["webhook-timestamp"],
  "webhook-signature": req.headers["webhook-signature"],
});
// Deduplicate on webhook-id; order events of one order by data.order.version.`;

/**
 * The API's reference, readable without signing in (like any API's documentation): every route of
 * the registry with its parameters, statuses and a copyable curl example, the problem types the
 * `type` of an error points to, and how webhooks are signed. The machine-readable form is
 * /api/v1/openapi.json, generated from the same schemas.
 */
export default function ApiReferencePage() {
  const sections = referenceSections();
  const code = "overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100";
  return (
    <main id="main" className="mx-auto max-w-4xl space-y-10 px-4 py-8 sm:px-6">
      <header className="space-y-2">
        <h1 className="text-3xl font-semibold">Makeline API</h1>
        <p className="text-slate-700">
          JSON over HTTPS under <code>/api/v1</code>. Authenticate with an API key that an administrator made under Admin → API keys: <code>Authorization: Bearer ml_live_…</code>. A key acts as its account: it can do exactly what that account can do in the app. The OpenAPI 3.1 document is{" "}
          <a href="/api/v1/openapi.json" className="text-indigo-700 underline">
            /api/v1/openapi.json
          </a>
          .
        </p>
        <p className="text-slate-700">
          Each key may make a number of requests a minute; every answer carries <code>RateLimit-Limit</code>, <code>RateLimit-Remaining</code> and <code>RateLimit-Reset</code>, and past the limit a 429 says when to retry in <code>Retry-After</code>. Changes take the order&apos;s <code>version</code>; a stale one is a 409 with what changed and the order as it is now.
        </p>
        <nav aria-label="Routes" className="flex flex-wrap gap-2 text-sm">
          {sections.map((s) => (
            <a key={s.id} href={`#${s.id}`} className="rounded bg-slate-100 px-2 py-1 font-mono hover:bg-slate-200">
              {s.method} {s.path.replace("/api/v1", "")}
            </a>
          ))}
        </nav>
      </header>

      {sections.map((s) => (
        <section key={s.id} id={s.id} aria-labelledby={`${s.id}-title`} className="space-y-3 border-t border-slate-200 pt-6">
          <h2 id={`${s.id}-title`} className="text-xl font-semibold">
            {s.summary}
          </h2>
          <p className="font-mono text-sm">
            <span className="rounded bg-indigo-100 px-1.5 py-0.5 text-indigo-800">{s.method}</span> {s.path}
          </p>
          {s.description && <p className="text-sm text-slate-700">{s.description}</p>}
          {s.parameters.length > 0 && (
            <dl className="grid grid-cols-[10rem_1fr] gap-x-3 gap-y-1 text-sm">
              {s.parameters.map((p) => (
                <div key={`${p.in}-${p.name}`} className="contents">
                  <dt className="font-mono">
                    {p.name} <span className="text-xs text-slate-500">({p.in})</span>
                  </dt>
                  <dd className="text-slate-700">{p.description || "—"}</dd>
                </div>
              ))}
            </dl>
          )}
          {s.example && (
            <>
              <h3 className="text-sm font-medium">Example body</h3>
              <pre className={code}>{s.example}</pre>
            </>
          )}
          <div className="flex items-center justify-between gap-3">
            <h3 className="text-sm font-medium">curl</h3>
            <CopyButton text={s.curl} label="Copy curl" />
          </div>
          <pre className={code}>{s.curl}</pre>
          <p className="text-sm text-slate-600">Answers: {s.statuses.map((r) => `${r.status} ${r.description}`).join(" · ")}</p>
        </section>
      ))}

      <section id="problems" aria-labelledby="problems-title" className="space-y-3 border-t border-slate-200 pt-6">
        <h2 id="problems-title" className="text-xl font-semibold">
          Errors
        </h2>
        <p className="text-sm text-slate-700">
          Every error is <code>application/problem+json</code> (RFC 9457): <code>type</code> (a link here), <code>title</code>, <code>status</code>, <code>detail</code>, and for invalid values <code>errors</code>, every field error with a JSON <code>pointer</code> into the request.
        </p>
        <ul className="space-y-1 text-sm">
          {problemKinds.map((p) => (
            <li key={p.status} id={p.anchor}>
              <span className="font-mono">{p.status}</span> {p.title}
            </li>
          ))}
        </ul>
      </section>

      <section id="webhooks" aria-labelledby="webhooks-title" className="space-y-3 border-t border-slate-200 pt-6">
        <h2 id="webhooks-title" className="text-xl font-semibold">
          Webhooks
        </h2>
        <p className="text-sm text-slate-700">
          An administrator registers an endpoint under Admin → Webhooks with the events it wants, and optionally one store. Each event is POSTed as JSON, signed per Standard Webhooks (<code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>), and delivered at least once: a failed or timed-out (10 s) delivery is retried with exponential backoff for three days under the same <code>webhook-id</code>. Answer with any 2xx; redirects are not followed. An endpoint that fails for three days is disabled and the administrators are told.
        </p>
        <ul className="space-y-1 text-sm">
          {webhookEvents.map((e) => (
            <li key={e.type}>
              <code>{e.type}</code>: {e.meaning}
            </li>
          ))}
        </ul>
        <h3 className="text-sm font-medium">A delivery</h3>
        <pre className={code}>{deliveryExample}</pre>
        <h3 className="text-sm font-medium">Verifying it</h3>
        <pre className={code}>{verifyExample}</pre>
      </section>
    </main>
  );
}
