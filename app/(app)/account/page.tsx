import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listAllStores } from "@/db/queries/stores";
import { listRules } from "@/db/queries/automation";
import { preferencesOf } from "@/db/queries/notifications";
import { describeTrigger } from "@/lib/automation/describe";
import { MENTION_TOPIC, defaultEmailMode, emailModeLabels, emailModes, ruleTopic } from "@/lib/automation/preferences";
import { MIN_PASSWORD_LENGTH } from "@/lib/account-admin/schemas";
import { requireActor } from "@/lib/auth/session";
import { roleLabel, seesAllStores } from "@/lib/workflow";
import { ChangePasswordForm } from "./_components/change-password-form";
import { SignOutEverywhereForm } from "./_components/sign-out-everywhere-form";
import { TimeZoneForm } from "./_components/time-zone-form";
import { timeZones } from "@/lib/forms/time-zones";
import { NotificationPreferencesForm } from "./_components/notification-preferences-form";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const actor = await requireActor();
  const db = await getDb();
  const [stores, rules, prefs] = await Promise.all([listAllStores(db), listRules(db), preferencesOf(db, actor.id)]);
  const rows = [
    ...rules.filter((r) => r.enabled && !r.archivedAt).map((r) => ({ topic: ruleTopic(r.id), label: r.name, detail: `${describeTrigger(r.trigger)}${r.priority === "high" ? " · high priority" : ""}`, mode: prefs.modes[ruleTopic(r.id)] ?? defaultEmailMode(r.priority) })),
    { topic: MENTION_TOPIC, label: "Mentions", detail: "Someone @mentions you in a comment", mode: prefs.modes[MENTION_TOPIC] ?? defaultEmailMode("normal") },
  ];
  const own = stores.filter((s) => actor.storeIds.includes(s.id)).map((s) => (s.archived ? `${s.name} (archived)` : s.name));

  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Your account</h1>
        <p className="text-sm text-slate-600">Your name, roles and stores are set by an administrator.</p>
      </div>

      <section aria-labelledby="details-heading" className="rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <h2 id="details-heading" className="sr-only">
          Details
        </h2>
        <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[7rem_1fr]">
          <dt className="text-slate-500">Name</dt>
          <dd className="break-words font-medium">{actor.name}</dd>
          <dt className="text-slate-500">Email</dt>
          <dd className="break-all">{actor.email}</dd>
          <dt className="text-slate-500">Roles</dt>
          <dd>{actor.roles.map(roleLabel).join(", ")}</dd>
          <dt className="text-slate-500">Stores</dt>
          <dd>{own.length ? own.join(", ") : seesAllStores(actor) ? "None: your roles see every store" : "None"}</dd>
          <dt className="text-slate-500">Time zone</dt>
          <dd>{(actor.timeZone ?? "UTC").replaceAll("_", " ")}</dd>
        </dl>
      </section>

      <section aria-labelledby="zone-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <h2 id="zone-heading" className="text-lg font-semibold">
          Time zone
        </h2>
        <TimeZoneForm current={actor.timeZone ?? "UTC"} timeZones={timeZones} />
      </section>

      <section aria-labelledby="notifications-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <div>
          <h2 id="notifications-heading" className="text-lg font-semibold">
            Email notifications
          </h2>
          <p className="text-sm text-slate-600">Alerts always appear in your inbox. Choose, rule by rule, whether they also come by email at once or in one daily digest. Several alerts due at once come as one email.</p>
        </div>
        <NotificationPreferencesForm rows={rows} modes={emailModes.map((m) => ({ value: m, label: emailModeLabels[m] }))} digestHour={prefs.digestHour} zone={actor.timeZone ?? "UTC"} />
      </section>

      <section aria-labelledby="password-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <div>
          <h2 id="password-heading" className="text-lg font-semibold">
            Change password
          </h2>
          <p className="text-sm text-slate-600">You are then signed out everywhere, here too, and sign in with the new password.</p>
        </div>
        <ChangePasswordForm minLength={MIN_PASSWORD_LENGTH} email={actor.email} />
      </section>

      <section aria-labelledby="sessions-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <div>
          <h2 id="sessions-heading" className="text-lg font-semibold">
            Sign out everywhere
          </h2>
          <p className="text-sm text-slate-600">Ends every session of your account, on every device and browser: use it after signing in on a shared or lost device.</p>
        </div>
        <SignOutEverywhereForm />
      </section>
    </div>
  );
}
