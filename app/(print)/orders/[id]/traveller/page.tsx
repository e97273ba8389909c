import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { travellers } from "@/db/queries/travellers";
import { can } from "@/lib/auth/policy";
import { requireActor } from "@/lib/auth/session";
import { orderUrl, qrSvg } from "@/lib/orders/qr";
import { formatOrderNumber, idSchema, zoneFor } from "@/lib/workflow";
import { TravellerSheet } from "../../../_components/traveller-sheet";
import { PrintButton } from "@/components/ui/print-button";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const id = idSchema.safeParse((await params).id);
  return { title: id.success ? `Traveller ${formatOrderNumber(id.data)}` : "Traveller" };
}

/** One order's job traveller, to print: the same access as the order's own page. */
export default async function TravellerPage({ params }: Params) {
  const actor = await requireActor();
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const [traveller] = await travellers(await getDb(), [id.data]);
  // An order the account may not read does not exist for it.
  if (!traveller || !can.order(actor, "readOrder", traveller.order)) notFound();
  const url = orderUrl(traveller.order.id);
  return (
    <div className="space-y-4">
      <div className="mx-auto flex w-[186mm] max-w-full items-center justify-between gap-3 px-4 print:hidden">
        <Link href={`/orders/${traveller.order.id}`} className="text-sm text-indigo-700 underline hover:text-indigo-900">
          Back to {formatOrderNumber(traveller.order.id)}
        </Link>
        <PrintButton label="Print traveller" />
      </div>
      <div className="mx-auto w-fit max-w-full bg-white p-4 shadow sm:p-[12mm] print:p-0! print:shadow-none">
        <TravellerSheet traveller={traveller} qr={await qrSvg(url)} url={url} zone={zoneFor(actor, traveller.storeTimeZone)} printedAt={new Date()} />
      </div>
    </div>
  );
}
