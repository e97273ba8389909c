import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { listOpenStores } from "@/db/queries/stores";
import { can } from "@/lib/auth/policy";
import { requireActor } from "@/lib/auth/session";
import { uploadLimits } from "@/lib/env";
import { directUploadField } from "@/lib/orders/uploads";
import { firstStage, stage } from "@/lib/workflow";
import { NewOrderForm } from "./new-order-form";

export const metadata: Metadata = { title: "New order" };

export default async function NewOrderPage() {
  const actor = await requireActor();
  if (!can.createOrders(actor)) notFound();
  // Only the account's own stores, and of those the open ones: an archived store takes no orders.
  const stores = await listOpenStores(await getDb(), actor.storeIds);
  const s = stage(firstStage);
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">New order</h1>
        <p className="text-sm text-slate-600">
          Stage 1 · {s.name}. The order is saved as a draft in your queue; complete the stage to send it to dispatch (target {s.target.label}).
        </p>
      </div>
      {stores.length === 0 ? (
        <div role="status" className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-slate-600">
          {actor.storeIds.length === 1 ? "Your store is archived and takes no new orders." : "Your stores are archived and take no new orders."} An administrator can restore a store.
        </div>
      ) : (
        <div className="rounded-lg border border-slate-200 bg-white p-6">
          <NewOrderForm stores={stores} submissionToken={randomUUID()} files={directUploadField(uploadLimits())} fields={stage(firstStage).fields} />
        </div>
      )}
    </div>
  );
}
