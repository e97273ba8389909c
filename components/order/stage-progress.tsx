import { type OrderState, type StageKey, stageKeys, stages } from "@/lib/workflow";

/**
 * The definition's stages as steps: done, current (or held / completed), to come. One column per
 * step, however many the definition has (the grid flows into as many columns as it has steps).
 * A phone has room for the current step's name only: it takes two columns, and the others show
 * their numbers (their names stay for screen readers).
 */
export function StageProgress({ stage, state }: { stage: StageKey; state: OrderState }) {
  const current = stageKeys.indexOf(stage);
  return (
    <ol className="grid grid-flow-col auto-cols-fr gap-1.5" aria-label="Stage progress">
      {stages.map((s, i) => {
        const done = state === "completed" || i < current;
        const here = i === current && state !== "completed";
        const tone = done
          ? "border-emerald-500 bg-emerald-50 text-emerald-900"
          : here
            ? state === "onHold"
              ? "border-amber-500 bg-amber-50 text-amber-900"
              : state === "cancelled"
                ? "border-slate-400 bg-slate-100 text-slate-700"
                : "border-indigo-600 bg-indigo-50 text-indigo-900"
            : "border-slate-200 bg-white text-slate-500";
        return (
          <li key={s.key} aria-current={here ? "step" : undefined} className={`rounded-md border-t-4 px-2 py-2 text-xs sm:text-sm ${here ? "col-span-2 sm:col-span-1" : ""} ${tone}`}>
            <span className="block font-semibold">{s.number}</span>
            <span className={`block leading-tight ${here ? "" : "sr-only sm:not-sr-only"}`}>{s.name}</span>
            <span className="sr-only">{done ? " (done)" : here ? " (current)" : " (to come)"}</span>
          </li>
        );
      })}
    </ol>
  );
}
