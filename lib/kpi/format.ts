/** How the KPI page writes its figures; null is "no data", never 0. */

export const NO_DATA = "No data";

export const formatPercent = (ratio: number | null, digits = 1) => (ratio === null ? NO_DATA : `${(ratio * 100).toFixed(digits)} %`);

export const formatDays = (days: number | null) => (days === null ? NO_DATA : `${days.toFixed(1)} days`);

export const formatRating = (rating: number | null) => (rating === null ? NO_DATA : `${rating.toFixed(2)} / 5`);

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;
