import type { Traveller } from "@/db/queries/travellers";
import { formatDate, formatDateTime } from "@/lib/format";
import { type FieldDef, displayValue, formatOrderNumber, inspectionResults, orderStateLabels, stageKeys, stages, todoKey } from "@/lib/workflow";

/**
 * One order's job traveller: the sheet that walks with the work. Sized for the smaller of A4 and
 * Letter (186 × 255 mm inside 12 mm margins, globals.css `@page`), so it prints on one page on
 * either; long texts are cut after a few lines, and the QR code opens the whole order.
 */
export function TravellerSheet({ traveller, qr, url, zone, printedAt }: { traveller: Traveller; qr: string; url: string; zone: string; printedAt: Date }) {
  const { order, storeName, latestInspection, images } = traveller;
  const number = formatOrderNumber(order.id);
  const current = stageKeys.indexOf(order.stage);
  const value = (key: FieldDef["key"]) => displayValue(key, order.fields, zone);
  const schedule = value("productionSchedule");
  return (
    <article aria-label={`Traveller ${number}`} className="traveller mx-auto flex w-[186mm] max-w-full flex-col gap-[3mm] bg-white text-[9pt] leading-snug text-black">
      <header className="flex items-start justify-between gap-[4mm] border-b-2 border-black pb-[2mm]">
        <div className="min-w-0 space-y-[1mm]">
          <p className="text-[8pt] uppercase tracking-wide">Job traveller · {storeName}</p>
          <h1 className="font-mono text-[22pt] font-bold leading-none sm:text-[30pt]">{number}</h1>
          <p className="text-[8pt]">
            Stage {stages[current]?.number}. {stages[current]?.name} · {orderStateLabels[order.state]} · printed {formatDateTime(printedAt, zone)}
          </p>
        </div>
        <figure className="flex shrink-0 flex-col items-center">
          {/* Markup from the qrcode library (paths only), drawn on the server for this order's address. */}
          <div className="size-[32mm] [&>svg]:size-full" role="img" aria-label={`QR code: ${url}`} dangerouslySetInnerHTML={{ __html: qr }} />
          <figcaption className="max-w-[40mm] text-center text-[6.5pt] break-all">{url}</figcaption>
        </figure>
      </header>

      <section aria-label="What to make" className="grid grid-cols-2 gap-x-[4mm] gap-y-[1.5mm] sm:grid-cols-4">
        <div className="col-span-full">
          <h2 className="text-[7.5pt] font-semibold uppercase">Product Specifications</h2>
          <p className="line-clamp-5 whitespace-pre-line wrap-anywhere text-[10pt]">{value("productSpecifications") ?? "—"}</p>
        </div>
        <Fact label="Quantity" value={value("orderQuantity")} large />
        <Fact label="Required delivery" value={order.requiredDeliveryDate ? formatDate(order.requiredDeliveryDate) : null} large />
        <Fact label="Production schedule" value={schedule} />
        <Fact label="Submitted" value={order.submittedAt ? formatDateTime(order.submittedAt, zone) : null} />
        <div className="col-span-full">
          <h2 className="text-[7.5pt] font-semibold uppercase">Special Requirements</h2>
          <p className="line-clamp-3 whitespace-pre-line wrap-anywhere">{value("specialRequirements") ?? "None."}</p>
        </div>
      </section>

      <section aria-label="Stages" className="grid grid-cols-1 gap-[2mm] sm:grid-cols-2">
        {stages.map((s, i) => (
          <div key={s.key} className={`break-inside-avoid rounded-[1mm] border p-[2mm] ${i === current && order.state !== "completed" ? "border-2 border-black" : "border-neutral-400"}`}>
            <h2 className="mb-[1mm] font-semibold">
              {s.number}. {s.name}
              {(order.state === "completed" || i < current) && <span className="font-normal"> · done</span>}
            </h2>
            <dl className="space-y-[1mm]">
              {s.fields.map((f) => {
                const shown = f.recordedAs === "inspection" ? inspectionLine(latestInspection, zone) : value(f.key);
                return (
                  <div key={f.key} className="grid grid-cols-[28mm_1fr] items-start gap-[1.5mm]">
                    <dt className="text-[7.5pt]">{f.recordedAs === "inspection" ? "Latest inspection" : f.label}</dt>
                    <dd className="min-w-0">
                      {shown ? (
                        <span className="line-clamp-2 wrap-anywhere">{shown}</span>
                      ) : (
                        <span className={`block rounded-[0.5mm] border border-neutral-500 ${f.input.kind === "longText" ? "h-[9mm]" : "h-[5mm]"}`}>
                          <span className="sr-only">Not filled in</span>
                        </span>
                      )}
                    </dd>
                  </div>
                );
              })}
            </dl>
            <ul className="mt-[1.5mm] space-y-[0.5mm] text-[8pt]" aria-label={`To-dos of ${s.name}`}>
              {s.todos.map((t) => {
                const done = order.doneTodos.includes(todoKey(s.key, t.key));
                return (
                  <li key={t.key} className="flex items-start gap-[1.5mm]">
                    <span aria-hidden="true" className="mt-[0.3mm] flex size-[3.2mm] shrink-0 items-center justify-center border border-black text-[7pt] leading-none">{done ? "✓" : ""}</span>
                    <span>
                      {t.label}
                      <span className="sr-only">{done ? " (done)" : " (to do)"}</span>
                    </span>
                  </li>
                );
              })}
            </ul>
          </div>
        ))}
        {images.length > 0 && (
          <div className="break-inside-avoid rounded-[1mm] border border-neutral-400 p-[2mm]">
            <h2 className="mb-[1mm] font-semibold">Reference images</h2>
            <ul className="flex flex-wrap gap-[2mm]">
              {images.slice(0, 4).map((a) => (
                <li key={a.id}>
                  <img src={`/orders/${order.id}/attachments/${a.id}`} alt={a.filename} className="h-[24mm] max-w-[40mm] object-contain" />
                </li>
              ))}
            </ul>
            {images.length > 4 && <p className="text-[7pt]">and {images.length - 4} more on the order page</p>}
          </div>
        )}
      </section>
    </article>
  );
}

function Fact({ label, value, large = false }: { label: string; value: string | null; large?: boolean }) {
  return (
    <div>
      <h2 className="text-[7.5pt] font-semibold uppercase">{label}</h2>
      {value ? <p className={large ? "text-[13pt] font-semibold" : undefined}>{value}</p> : <span className="block h-[6mm] rounded-[0.5mm] border border-neutral-500"><span className="sr-only">Not filled in</span></span>}
    </div>
  );
}

function inspectionLine(inspection: Traveller["latestInspection"], zone: string) {
  if (!inspection) return null;
  const result = inspectionResults.labels[inspection.result];
  return `${result}${inspection.notes ? ` — ${inspection.notes}` : ""} (${inspection.inspectorName ?? "someone"}, ${formatDateTime(inspection.createdAt, zone)})`;
}
