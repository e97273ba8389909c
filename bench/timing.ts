/** How the benchmarks time things: percentiles of repeated runs, each after one run to warm up. */

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

export async function time(fn: () => Promise<unknown>, times: number) {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return { p50: pct(samples, 0.5), p95: pct(samples, 0.95) };
}

/** Two things timed in alternation, so both see the same load on a shared machine. */
export async function timePair(a: () => Promise<unknown>, b: () => Promise<unknown>, times: number) {
  await a();
  await b();
  const [sa, sb]: number[][] = [[], []];
  for (let i = 0; i < times; i++) {
    for (const [fn, samples] of [[a, sa], [b, sb]] as const) {
      const start = performance.now();
      await fn();
      samples.push(performance.now() - start);
    }
  }
  return [sa, sb].map((s) => ({ p50: pct(s, 0.5), p95: pct(s, 0.95) }));
}

/** "8.4 ms", "312 ms", "1.25 s". */
export const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
