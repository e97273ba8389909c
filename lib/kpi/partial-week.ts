const DAY = 86_400_000;

/** A trend week the report covers only in part: how many of its days, and whether it is still under way. */
export type PartialWeek = { days: number; underWay: boolean };

/**
 * How much of a trend week (Monday to Sunday, UTC, as `periodWeeks` makes them) the report
 * covers: the days of it inside the period and before `now`. A week cut by the period's start or
 * end, or still under way, is partial: it holds fewer orders than a whole week, so its rate is
 * not the week's (and, while under way, can still change). Null for a whole week.
 */
export function partialWeek(week: string, period: { start: Date; end: Date }, now: Date): PartialWeek | null {
  const weekStart = Date.parse(`${week}T00:00:00Z`);
  const weekEnd = weekStart + 7 * DAY;
  const from = Math.max(weekStart, period.start.getTime());
  const to = Math.min(weekEnd, period.end.getTime(), now.getTime());
  if (from <= weekStart && to >= weekEnd) return null;
  return { days: Math.max(0, Math.ceil((to - from) / DAY)), underWay: to === now.getTime() };
}

export const partialWeekText = (p: PartialWeek) => `${p.days} of 7 days ${p.underWay ? "so far" : "in the period"}`;
