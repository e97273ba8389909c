import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { getDb } from "@/db/client";
import { listAllStores } from "@/db/queries/stores";
import { MIN_PASSWORD_LENGTH } from "@/lib/account-admin/schemas";
import { requireGrant } from "@/lib/auth/session";
import { roleOptions, storeOptions, storesHelp } from "../_components/access-options";
import { CreateAccountForm } from "../_components/create-account-form";

export const metadata: Metadata = { title: "New account" };

export default async function NewAccountPage() {
  await requireGrant("manageAccounts");
  const stores = await listAllStores(await getDb());
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div>
        <Link href="/admin/users" className="text-sm text-indigo-700 hover:underline">
          ← Accounts
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">New account</h1>
        <p className="text-sm text-slate-600">The person signs in with this email and the password you set or generate here.</p>
      </div>
      <CreateAccountForm roleOptions={roleOptions} storeOptions={storeOptions(stores)} storesHelp={storesHelp} minPasswordLength={MIN_PASSWORD_LENGTH} />
    </div>
  );
}
