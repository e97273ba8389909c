import { Link } from "@/components/ui/link";

/** Not found, or not this account's to open: inside the app, so the navigation stays. */
export default function AppNotFound() {
  return (
    <section aria-labelledby="not-found-title" className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white px-6 py-12 text-center">
      <p className="text-sm font-semibold text-indigo-600">404</p>
      <h1 id="not-found-title" className="mt-2 text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-600">This page does not exist, or your account may not open it.</p>
      <Link href="/orders" className="mt-6 inline-block rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500">
        Back to your queue
      </Link>
    </section>
  );
}
