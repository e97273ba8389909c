export type BadgeTone = "slate" | "indigo" | "amber" | "rose" | "emerald";

const tones: Record<BadgeTone, string> = {
  slate: "bg-slate-100 text-slate-700 ring-slate-500/20",
  indigo: "bg-indigo-50 text-indigo-700 ring-indigo-600/20",
  amber: "bg-amber-50 text-amber-900 ring-amber-600/30",
  rose: "bg-rose-50 text-rose-800 ring-rose-600/20",
  emerald: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
};
const dots: Partial<Record<BadgeTone, string>> = { emerald: "bg-emerald-500", amber: "bg-amber-500", rose: "bg-rose-500" };

/** A small rounded label in one of a few tones, with a dot of its colour when `dot` (the SLA states). */
export function Badge({ children, tone = "slate", dot = false }: { children: React.ReactNode; tone?: BadgeTone; dot?: boolean }) {
  return (
    <span className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tones[tone]}`}>
      {dot && <span className={`size-1.5 rounded-full ${dots[tone] ?? "bg-slate-500"}`} aria-hidden="true" />}
      {children}
    </span>
  );
}
