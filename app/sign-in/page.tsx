import type { Metadata } from "next";
import { DEMO_PASSWORD, demoAccounts } from "@/lib/demo/accounts";
import { safeCallbackUrl } from "@/lib/auth/config";
import { demoAllowed, usesEmbeddedDb } from "@/lib/env";
import { roleLabel } from "@/lib/workflow";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; changed?: string }> }) {
  const { callbackUrl, changed } = await searchParams;
  const showDemo = usesEmbeddedDb() && demoAllowed();
  return (
    <main className="mx-auto grid min-h-screen max-w-5xl items-center gap-10 px-6 py-12 md:grid-cols-2">
      <section aria-labelledby="sign-in-title" className="rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <div className="mb-6 flex items-center gap-3">
          <img src="/icon.svg" alt="" className="size-9" />
          <div>
            <h1 id="sign-in-title" className="text-xl font-semibold">
              Sign in to Makeline
            </h1>
            <p className="text-sm text-slate-600">Make-to-order, from store order to delivery.</p>
          </div>
        </div>
        {changed === "1" && (
          <p role="status" className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
            Password changed: sign in with your new password.
          </p>
        )}
        <SignInForm callbackUrl={safeCallbackUrl(callbackUrl)} />
      </section>
      {showDemo && (
        <section aria-labelledby="demo-title" className="text-sm">
          <h2 id="demo-title" className="text-base font-semibold">
            Demo accounts
          </h2>
          <p className="mt-1 text-slate-600">
            This is the embedded demo database. Every account uses the password <code className="rounded bg-slate-200 px-1.5 py-0.5 font-mono">{DEMO_PASSWORD}</code>.
          </p>
          <ul className="mt-4 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
            {demoAccounts.map((a) => (
              <li key={a.email} className="flex flex-wrap items-baseline justify-between gap-x-4 px-4 py-2.5">
                <span className="font-mono text-slate-900">{a.email}</span>
                <span className="text-slate-600">
                  {a.roles.map(roleLabel).join(", ")}
                  {a.store && ` · ${a.store === "north" ? "North" : "South"}`}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
