import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { accountDetail } from "@/db/queries/account-admin";
import { listAllStores } from "@/db/queries/stores";
import { MIN_PASSWORD_LENGTH } from "@/lib/account-admin/schemas";
import { requireGrant } from "@/lib/auth/session";
import { emailThrottleState } from "@/lib/auth/throttle";
import { formatDateTime } from "@/lib/format";
import { idSchema } from "@/lib/workflow";
import { Badge } from "@/components/ui/badge";
import { AccountStatusForm } from "../_components/account-status-form";
import { roleOptions, storeOptions, storesHelp } from "../_components/access-options";
import { EditAccountForm } from "../_components/edit-account-form";
import { ResetPasswordForm } from "../_components/reset-password-form";
import { UnlockSignInForm } from "../_components/unlock-sign-in-form";

export const metadata: Metadata = { title: "Account" };

export default async function EditAccountPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireGrant("manageAccounts");
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const db = await getDb();
  const [account, stores] = await Promise.all([accountDetail(db, id.data), listAllStores(db)]);
  if (!account) notFound();
  const self = account.id === actor.id;
  const throttle = await emailThrottleState(db, account.email, new Date());

  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <Link href="/admin/users" className="text-sm text-indigo-700 hover:underline">
          ← Accounts
        </Link>
        <div className="mt-1 flex flex-wrap items-center gap-2">
          <h1 className="break-all text-2xl font-semibold">{account.name}</h1>
          {account.active ? <Badge tone="emerald">Active</Badge> : <Badge tone="rose">Deactivated</Badge>}
          {self && <Badge tone="indigo">You</Badge>}
        </div>
        <p className="break-all text-sm text-slate-600">{account.email}</p>
        <p className="text-xs text-slate-500">
          Created {formatDateTime(account.createdAt, actor.timeZone)}
          {account.passwordChangedAt && <> · password set {formatDateTime(account.passwordChangedAt, actor.timeZone)}</>} ·{" "}
          <Link href={`/admin/audit?account=${account.id}`} className="text-indigo-700 underline hover:text-indigo-900">
            Audit entries
          </Link>
        </p>
      </div>

      <section aria-labelledby="access-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <h2 id="access-heading" className="text-lg font-semibold">
          Name, roles and stores
        </h2>
        <EditAccountForm account={account} roleOptions={roleOptions} storeOptions={storeOptions(stores, account.storeIds)} storesHelp={storesHelp} self={self} />
      </section>

      <section aria-labelledby="password-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <div>
          <h2 id="password-heading" className="text-lg font-semibold">
            Reset password
          </h2>
          <p className="text-sm text-slate-600">
            {self ? "This signs you out everywhere, this browser too." : "The account is signed out everywhere and signs in with the new password."}
          </p>
        </div>
        <ResetPasswordForm accountId={account.id} email={account.email} minPasswordLength={MIN_PASSWORD_LENGTH} />
      </section>

      <section aria-labelledby="sign-in-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <div>
          <h2 id="sign-in-heading" className="text-lg font-semibold">
            Sign-in
          </h2>
          <p className="text-sm text-slate-600">{throttleSummary(throttle, actor.timeZone ?? "UTC")}</p>
        </div>
        <UnlockSignInForm accountId={account.id} active={throttle.active} />
      </section>

      <section aria-labelledby="status-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <h2 id="status-heading" className="text-lg font-semibold">
          {account.active ? "Deactivate" : "Reactivate"}
        </h2>
        <AccountStatusForm accountId={account.id} active={account.active} />
      </section>
    </div>
  );
}

/** What the throttle holds against the account, in words. */
function throttleSummary(t: Awaited<ReturnType<typeof emailThrottleState>>, zone: string): string {
  if (!t.active) return "No failed sign-ins in the last 15 minutes.";
  const parts: string[] = [];
  if (t.failures) parts.push(`${t.failures} failed sign-in${t.failures === 1 ? "" : "s"} in the last 15 minutes${t.delayMs ? `: each sign-in waits ${t.delayMs / 1000} s first` : ""}.`);
  if (t.lockedAddresses && t.lockedUntil) {
    parts.push(`${t.lockedAddresses} address${t.lockedAddresses === 1 ? " is" : "es are"} locked out of this account until ${formatDateTime(t.lockedUntil, zone)}.`);
  }
  return parts.join(" ");
}
