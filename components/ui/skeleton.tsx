/** A page still loading: its title at once, grey blocks where the data will be. */
export function PageSkeleton({ title, blocks = 6, columns = 1 }: { title: string; blocks?: number; columns?: number }) {
  return (
    <div className="space-y-5" aria-busy="true">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="sr-only" role="status">Loading {title.toLowerCase()}…</p>
      <div className={`grid gap-3 ${columns > 1 ? "md:grid-cols-3" : ""}`}>
        {Array.from({ length: blocks }, (_, i) => (
          <div key={i} className="h-16 animate-pulse rounded-lg bg-slate-200/70" />
        ))}
      </div>
    </div>
  );
}
