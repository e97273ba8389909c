/** A small rounded label in one of a few tones. */
export function Badge({ children, tone = "slate" }: { children: React.ReactNode; tone?: "slate" | "indigo" | "amber" | "rose" | "emerald" }) {
  const tones = {
    slate: "bg-slate-100 text-slate-700 ring-slate-500/20",
    indigo: "bg-indigo-50 text-indigo-700 ring-indigo-600/20",
    amber: "bg-amber-50 text-amber-900 ring-amber-600/30",
    rose: "bg-rose-50 text-rose-800 ring-rose-600/20",
    emerald: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  };
  return <span className={`inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[tone]}`}>{children}</span>;
}
