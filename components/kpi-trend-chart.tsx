"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";

export type TrendPoint = {
  /** Short label of the week, e.g. "3 Mar". */
  label: string;
  /** Percent (0–100), or null for a week without data: the line breaks there. */
  value: number | null;
  /** How many orders the week's rate is based on. */
  count: number;
};

/**
 * A weekly rate against its target. The figures are computed on the server; this only draws
 * them. Screen readers get the same numbers as a table (rendered by the page).
 */
export function KpiTrendChart({ data, target, color, name }: { data: TrendPoint[]; target: number; color: string; name: string }) {
  const values = data.flatMap((d) => (d.value === null ? [] : [d.value]));
  const low = Math.max(0, Math.floor(Math.min(target - 5, ...values) / 10) * 10);
  const step = 100 - low <= 20 ? 5 : 100 - low <= 50 ? 10 : 20;
  const ticks = Array.from({ length: (100 - low) / step + 1 }, (_, i) => low + i * step);
  return (
    <LineChart responsive data={data} margin={{ top: 8, right: 12, bottom: 0, left: -12 }} style={{ width: "100%", height: 220 }} accessibilityLayer={false} aria-hidden="true">
      <CartesianGrid stroke="#e2e8f0" vertical={false} />
      <XAxis dataKey="label" tick={{ fontSize: 12, fill: "#475569" }} tickLine={false} axisLine={{ stroke: "#cbd5e1" }} interval="preserveStartEnd" minTickGap={12} />
      <YAxis domain={[low, 100]} ticks={ticks} tick={{ fontSize: 12, fill: "#475569" }} tickLine={false} axisLine={false} tickFormatter={(v: number) => `${v}%`} width={52} />
      <ReferenceLine y={target} stroke="#64748b" strokeDasharray="4 4" />
      <Tooltip
        formatter={(value, _name, item) => [`${Number(value).toFixed(1)} % (${(item.payload as TrendPoint).count} orders)`, name]}
        labelFormatter={(label) => `Week of ${label}`}
        contentStyle={{ fontSize: 12, borderRadius: 6 }}
      />
      <Line type="linear" dataKey="value" name={name} stroke={color} strokeWidth={2} dot={{ r: 3 }} activeDot={{ r: 5 }} isAnimationActive={false} connectNulls={false} />
    </LineChart>
  );
}
