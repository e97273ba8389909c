import { Link } from "@/components/ui/link";
import { requireActor } from "@/lib/auth/session";
import { can } from "@/lib/auth/policy";
import { queueStages, roleLabel } from "@/lib/workflow";
import { demoMailboxEnabled } from "@/lib/email/mailbox";
import { unreadCount, unreadLabel } from "@/db/queries/notifications";
import { getDb } from "@/db/client";
import { signOutAction } from "./actions";
import { LiveUpdates } from "@/components/live/live-updates";
import { NavLink } from "./nav-link";
import { Shortcuts } from "@/components/shortcuts";
import { ShortcutDialogs } from "@/components/shortcut-dialogs";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  const unread = await unreadCount(await getDb(), actor);
  const links = [
    { href: "/work", label: "My work", show: queueStages(actor).length > 0 },
    { href: "/orders", label: "Orders", show: true },
    { href: "/board", label: "Board", show: true },
    { href: "/kpi", label: "KPIs", show: can.viewKpi(actor) },
    { href: "/capacity", label: "Capacity", show: can.viewCapacity(actor) },
    { href: "/admin/rules", label: "Automations", show: can.viewRules(actor) },
    { href: "/admin/users", label: "Users", show: can.manageAccounts(actor) },
    { href: "/admin/stores", label: "Stores", show: can.manageStores(actor) },
    { href: "/admin/calendars", label: "Calendars", show: can.manageStores(actor) },
    { href: "/admin/fail-reasons", label: "Fail reasons", show: can.manageFailReasons(actor) },
    { href: "/admin/audit", label: "Audit", show: can.viewAudit(actor) },
    { href: "/admin/api-keys", label: "API keys", show: can.manageApiKeys(actor) },
    { href: "/admin/webhooks", label: "Webhooks", show: can.manageWebhooks(actor) },
    { href: "/dev/mailbox", label: "Mailbox", show: demoMailboxEnabled() },
  ].filter((l) => l.show);
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
          <Link href="/orders" className="flex items-center gap-2 font-semibold">
            <img src="/icon.svg" alt="" className="size-7" />
            Makeline
          </Link>
          <nav aria-label="Main" className="flex flex-wrap gap-1">
            {links.map((l) => (
              <NavLink key={l.href} href={l.href}>
                {l.label}
              </NavLink>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            {/* The count is part of the visible name ("Inbox 3 unread"), so speech input can say what it sees. */}
            <Link href="/inbox" className="relative rounded-md px-2 py-1.5 text-slate-700 hover:bg-slate-100">
              Inbox
              {unread > 0 && (
                <span className="ml-1.5 rounded-full bg-rose-600 px-1.5 py-0.5 text-xs font-semibold text-white">
                  {unreadLabel(unread)}
                  <span className="sr-only"> unread</span>
                </span>
              )}
            </Link>
            <Link href="/account" className="max-w-40 rounded-md px-2 py-1 text-right leading-tight text-slate-700 hover:bg-slate-100 sm:max-w-56">
              <span className="sr-only">Your account: </span>
              <span className="block truncate font-medium">{actor.name}</span>
              <span className="hidden truncate text-xs text-slate-500 sm:block">{actor.roles.map(roleLabel).join(", ")}</span>
            </Link>
            <form action={signOutAction}>
              <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-slate-700 hover:bg-slate-50">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6 sm:px-6">
        {children}
      </main>
      <LiveUpdates />
      <ShortcutDialogs />
      <Shortcuts />
    </div>
  );
}
