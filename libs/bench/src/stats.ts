/** Value at a quantile (0..1) of the samples, nearest-rank; NaN when there are none. */
export function quantile(samples: number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** The median of several rounds with the smallest and largest round, so the spread stays visible. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  rounds: number[];
}

export function spreadOf(rounds: number[]): Spread {
  const finite = rounds.filter((r) => Number.isFinite(r));
  if (finite.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, rounds };
  return { median: quantile(finite, 0.5), min: Math.min(...finite), max: Math.max(...finite), rounds };
}

export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
