import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { getDb } from "@/db/client";
import { TRAVELLER_BATCH, filteredOrderIds, travellers } from "@/db/queries/travellers";
import { can } from "@/lib/auth/policy";
import { requireActor } from "@/lib/auth/session";
import { parseTravellerBatch } from "@/lib/orders/filters";
import { orderUrl, qrSvg } from "@/lib/orders/qr";
import { zoneFor } from "@/lib/workflow";
import { TravellerSheet } from "../../_components/traveller-sheet";
import { PrintButton } from "@/components/ui/print-button";

export const metadata: Metadata = { title: "Travellers" };

type Search = Record<string, string | string[] | undefined>;

/**
 * The queue's batch print: the ticked orders, or without any the orders its filters show, one
 * traveller a page, at most TRAVELLER_BATCH of them. Orders the account may not read are left out
 * as if they did not exist, whoever typed their ids into the address.
 */
export default async function TravellersPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requireActor();
  const { id, list } = parseTravellerBatch(await searchParams);
  const db = await getDb();
  const wanted = id.length > 0 ? id.slice(0, TRAVELLER_BATCH + 1) : await filteredOrderIds(db, actor, list, new Date(), TRAVELLER_BATCH + 1);
  const cut = wanted.length > TRAVELLER_BATCH;
  const readable = (await travellers(db, wanted.slice(0, TRAVELLER_BATCH))).filter((t) => can.order(actor, "readOrder", t.order));
  const printedAt = new Date();
  const sheets = await Promise.all(readable.map(async (t) => ({ t, url: orderUrl(t.order.id), qr: await qrSvg(orderUrl(t.order.id)) })));
  return (
    <div className="space-y-4">
      <div className="mx-auto flex w-[186mm] max-w-full flex-wrap items-center justify-between gap-3 px-4 print:hidden">
        <div className="text-sm">
          <Link href="/orders" className="text-indigo-700 underline hover:text-indigo-900">Back to the orders</Link>
          <p role="status" className="mt-1 text-slate-700">
            {readable.length === 0 ? "No orders to print." : `${readable.length} traveller${readable.length === 1 ? "" : "s"}, one a page.`}
            {cut && ` Only the first ${TRAVELLER_BATCH} are printed at once: narrow the filters or tick fewer orders for the rest.`}
          </p>
        </div>
        {readable.length > 0 && <PrintButton label="Print travellers" />}
      </div>
      {sheets.map(({ t, url, qr }) => (
        <div key={t.order.id} className="mx-auto w-fit max-w-full bg-white p-4 shadow not-last:break-after-page sm:p-[12mm] print:p-0! print:shadow-none">
          <TravellerSheet traveller={t} qr={qr} url={url} zone={zoneFor(actor, t.storeTimeZone)} printedAt={printedAt} />
        </div>
      ))}
    </div>
  );
}
