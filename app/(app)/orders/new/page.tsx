import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { listStores } from "@/db/queries/orders";
import { can } from "@/lib/auth/policy";
import { requireActor } from "@/lib/auth/session";
import { uploadLimits } from "@/lib/env";
import { stage } from "@/lib/workflow";
import { NewOrderForm } from "./new-order-form";

export const metadata: Metadata = { title: "New order" };

export default async function NewOrderPage() {
  const actor = await requireActor();
  if (!can.createOrders(actor)) notFound();
  const stores = (await listStores(await getDb(), actor)).filter((s) => actor.storeIds.includes(s.id));
  const s = stage("storeOrder");
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">New order</h1>
        <p className="text-sm text-slate-600">
          Stage 1 · {s.name}. The order is saved as a draft in your queue; complete the stage to send it to dispatch (target {s.target.label}).
        </p>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-6">
        <NewOrderForm stores={stores} submissionToken={randomUUID()} limits={uploadLimits()} />
      </div>
    </div>
  );
}
