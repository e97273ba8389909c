"use client";

/** An unexpected error inside the app: the navigation stays, the reference ties it to the server log. */
export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section aria-labelledby="error-title" className="mx-auto max-w-lg rounded-lg border border-rose-200 bg-white px-6 py-12 text-center">
      <h1 id="error-title" className="text-2xl font-semibold">Something went wrong</h1>
      <p className="mt-2 text-slate-600">This page could not be shown. Nothing you saved was lost.</p>
      {error.digest && <p className="mt-2 text-xs text-slate-500">Reference: {error.digest}</p>}
      <button onClick={reset} className="mt-6 rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500">
        Try again
      </button>
    </section>
  );
}
