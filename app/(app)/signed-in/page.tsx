import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { requireActor } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Signed in again" };

/**
 * Where sign-in lands when a form found its session ended: the form is still open in the tab the
 * person came from, with what they typed, so this tab only says so and may be closed.
 */
export default async function SignedInAgainPage() {
  const actor = await requireActor();
  return (
    <section aria-labelledby="signed-in-title" className="mx-auto max-w-lg rounded-lg border border-emerald-200 bg-white px-6 py-12 text-center">
      <h1 id="signed-in-title" className="text-2xl font-semibold">
        You are signed in again
      </h1>
      <p className="mt-2 text-slate-600">
        Signed in as {actor.name}. You can close this tab: go back to the tab with your form and press the button again. What you typed is still there.
      </p>
      <Link href="/orders" className="mt-6 inline-block text-sm text-indigo-700 underline">
        Or open your queue here
      </Link>
    </section>
  );
}
